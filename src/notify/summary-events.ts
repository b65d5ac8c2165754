// weekly_summary.ready (docs/notifications.md): the CMO loop stored a week's summary, told in the
// transaction that stores it, with the week's headline figures (spend, revenue, ROI against the
// week before) read from the summary as stored.
import type { SqlSession } from '../db/port.ts';
import { writeEvents } from './outbox.ts';

export function recordWeeklySummaryReady(s: SqlSession, tenantId: string, summaryId: string, at?: Date) {
  return writeEvents(
    s,
    tenantId,
    at,
    `SELECT 'weekly_summary.ready' AS type,
            jsonb_build_object('summary_id', w.id, 'week_start', to_char(w.week_start, 'YYYY-MM-DD'),
                               'week_end', to_char(w.week_end, 'YYYY-MM-DD'),
                               'totals', jsonb_build_object('spend', w.summary #> '{totals,spend}',
                                                            'revenue', w.summary #> '{totals,revenue}',
                                                            'roi', w.summary #> '{totals,roi}')) AS data
       FROM weekly_summaries w
      WHERE w.tenant_id = $1 AND w.id = $3`,
    [summaryId],
  );
}
