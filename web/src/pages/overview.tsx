// Overview (the seed's "Admin Dashboard → Autonomous Ops"): the figures, the cycle, the campaigns
// the engine would act on, and the trends. Each section loads on its own, so one failing request
// leaves the others on screen.

import type { ActionRecord } from '../../../src/contract/actions.ts';
import type { OverviewCampaigns, OverviewFigures, OverviewTrend } from '../../../src/contract/overview.ts';
import type { Page } from '../../../src/contract/page.ts';
import { useApi } from '../api/use-api.ts';
import { OverviewCampaignCards } from './overview-campaigns.tsx';
import { OverviewCharts } from './overview-charts.tsx';
import { OverviewPending } from './overview-pending.tsx';
import { RunCycle } from './overview-run-cycle.tsx';
import { OverviewStats } from './overview-stats.tsx';
import './overview.css';

export function OverviewPage() {
  const figures = useApi<OverviewFigures>('/api/overview');
  const campaigns = useApi<OverviewCampaigns>('/api/overview/campaigns');
  const trend = useApi<OverviewTrend>('/api/overview/trend?days=30');
  const pending = useApi<Page<ActionRecord>>('/api/actions?status=pending&limit=50');

  function afterCycle() {
    // A cycle changes the counts and which campaigns are left to pause or scale; pausing also
    // takes campaigns out of the active ROI spread.
    figures.reload();
    campaigns.reload();
    trend.reload();
    pending.reload();
  }

  return (
    <div className="overview">
      <h1>Autonomous Ops</h1>
      <OverviewStats loaded={figures} />
      <RunCycle figures={figures.data} onFinished={afterCycle} />
      <div className="overview-now">
        <OverviewPending loaded={pending} total={figures.data?.pending_suggestions} />
        <OverviewCampaignCards loaded={campaigns} pending={pending.data?.data} />
      </div>
      <OverviewCharts loaded={trend} />
    </div>
  );
}
