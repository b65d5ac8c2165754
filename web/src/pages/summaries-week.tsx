// One week's summary, rendered from its JSON: the totals against the week before, the campaigns
// that led and trailed, what the engine did and measured, and the open opportunities.

import type { WeeklySummaryRecord } from '../../../src/contract/weekly-summary.ts';
import type { Loaded } from '../api/use-api.ts';
import { ErrorNotice, Loading } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { dayLabel, weekLabel } from './summaries-format.ts';
import { SummaryMarkdownDownload } from './summaries-markdown.tsx';
import { SummaryActions } from './summaries-week-actions.tsx';
import { SummaryCampaigns } from './summaries-week-campaigns.tsx';
import { SummaryOpportunities } from './summaries-week-opportunities.tsx';
import { SummaryTotals } from './summaries-week-totals.tsx';

export function SummaryWeek({ loaded, week }: { loaded: Loaded<WeeklySummaryRecord>; week: string }) {
  if (loaded.error) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
  // useApi keeps the last week on screen while the next loads: wait for the one asked for.
  const summary = loaded.data?.week_start === week ? loaded.data : undefined;
  if (!summary) return <Loading what={`the week of ${dayLabel(week)}`} />;
  return (
    <article className="summaries-week-detail" data-testid="weekly-summary" data-id={summary.id}>
      <div className="row spread">
        <div>
          <h2>Week of {weekLabel(summary.week_start, summary.week_end)}</h2>
          <p className="muted small">
            Compared with the week of {dayLabel(summary.previous_week_start)} · generated{' '}
            {dateTime(summary.generated_at)}
          </p>
        </div>
        <SummaryMarkdownDownload week={summary.week_start} />
      </div>
      <SummaryTotals summary={summary} />
      <SummaryCampaigns summary={summary} />
      <SummaryActions summary={summary} />
      <SummaryOpportunities summary={summary} />
    </article>
  );
}
