// Weekly summaries: the weeks the CMO loop summarised (newest first) and the chosen one in full.
// The week is in the address (#/summaries/<monday>), so a summary can be linked to; without one,
// the newest week is shown.

import type { Page } from '../../../src/contract/page.ts';
import type { WeeklySummaryHead, WeeklySummaryRecord } from '../../../src/contract/weekly-summary.ts';
import { useApi } from '../api/use-api.ts';
import { useRoute } from '../lib/route.ts';
import { FIRST_PAGE, SummariesList } from './summaries-list.tsx';
import { SummaryWeek } from './summaries-week.tsx';
import './summaries.css';

export function SummariesPage() {
  const route = useRoute();
  const list = useApi<Page<WeeklySummaryHead>>(FIRST_PAGE);
  const week = route.rest[0] ?? list.data?.data[0]?.week_start;
  const summary = useApi<WeeklySummaryRecord>(week ? `/api/weekly-summaries/${encodeURIComponent(week)}` : null);

  return (
    <div className="summaries">
      <h1>Weekly summaries</h1>
      <div className="summaries-layout">
        <SummariesList loaded={list} selected={week} />
        {week && (
          <div className="summaries-detail">
            <SummaryWeek loaded={summary} week={week} />
          </div>
        )}
      </div>
    </div>
  );
}
