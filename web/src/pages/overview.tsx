// Overview (the seed's "Admin Dashboard → Autonomous Ops"): the figures, the cycle, the campaigns
// the engine would act on, and the trends. Each section loads on its own, so one failing request
// leaves the others on screen.

import type { OverviewCampaigns, OverviewFigures, OverviewTrend } from '../../../src/contract/overview.ts';
import { useApi } from '../api/use-api.ts';
import { OverviewCampaignCards } from './overview-campaigns.tsx';
import { OverviewCharts } from './overview-charts.tsx';
import { RunCycle } from './overview-run-cycle.tsx';
import { OverviewStats } from './overview-stats.tsx';
import './overview.css';

export function OverviewPage() {
  const figures = useApi<OverviewFigures>('/api/overview');
  const campaigns = useApi<OverviewCampaigns>('/api/overview/campaigns');
  const trend = useApi<OverviewTrend>('/api/overview/trend?days=30');

  function afterCycle() {
    // A cycle changes the counts and which campaigns are left to pause or scale; pausing also
    // takes campaigns out of the active ROI spread.
    figures.reload();
    campaigns.reload();
    trend.reload();
  }

  return (
    <div className="overview">
      <h1>Autonomous Ops</h1>
      <OverviewStats loaded={figures} />
      <RunCycle figures={figures.data} onFinished={afterCycle} />
      <OverviewCampaignCards loaded={campaigns} />
      <OverviewCharts loaded={trend} />
    </div>
  );
}
