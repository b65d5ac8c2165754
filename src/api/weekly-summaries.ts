// /api/weekly-summaries: the tenant's stored weekly summaries (src/cmo/weekly-summary.ts), newest
// week first in cursor pages, and one week's summary as JSON, as the stored Markdown report, or as
// an HTML page rendered from the stored summary.
import { z } from 'zod';
import { summaryHtml } from '../cmo/summary-report.ts';
import { getWeeklySummary, isMonday, listWeeklySummaries } from '../cmo/weekly-summary.ts';
import { pageSchema } from '../contract/page.ts';
import { weeklySummaryHead, weeklySummaryRecord } from '../contract/weekly-summary.ts';
import { invalid, ProblemError } from '../server/problem.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { isoDate } from './schemas.ts';

const FORMATS = ['json', 'markdown', 'html'] as const;

// Checked in the handler rather than by the router: the router answers 404 to any path parameter it
// cannot read (an id that names nothing), and a malformed date is the caller's mistake, a 422.
const weekParams = z.strictObject({
  week_start: z.string().meta({ format: 'date', description: 'The Monday the week starts on, YYYY-MM-DD' }),
});

function weekStartOf(text: string): string {
  const message = !isoDate.safeParse(text).success
    ? 'expects a date YYYY-MM-DD'
    : !isMonday(text)
      ? 'expects a Monday (weeks run Monday to Sunday)'
      : undefined;
  if (message) throw invalid([{ field: 'week_start', in: 'path', message }]);
  return text;
}

export function weeklySummaryRoutes(api: ApiRouter): void {
  const tag = 'Weekly summaries';

  api.tenant(
    {
      method: 'get',
      path: '/api/weekly-summaries',
      tag,
      summary: 'List the weekly summaries, newest week first',
      access: 'viewer',
      query: z.strictObject(pageQuery),
      responses: {
        200: { description: 'A page of summaries with their totals', schema: pageSchema(weeklySummaryHead) },
      },
    },
    async ({ c, db, principal, query }) => {
      const rows = await db.session((s) => listWeeklySummaries(s, principal.tenantId, query));
      return c.json(toPage(rows, query.limit));
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/weekly-summaries/{week_start}',
      tag,
      summary: 'Read one week’s summary',
      description:
        '`format=json` (the default) answers the summary below. `format=markdown` answers the stored report as ' +
        '`text/markdown; charset=utf-8`, `format=html` the same report as a small HTML page ' +
        '(`text/html; charset=utf-8`).',
      access: 'viewer',
      params: weekParams,
      query: z.strictObject({ format: z.enum(FORMATS).default('json') }),
      responses: {
        200: { description: 'The summary (with format=json)', schema: weeklySummaryRecord },
        404: { description: 'The tenant has no summary of that week', mediaType: 'application/problem+json' },
      },
    },
    async ({ c, db, principal, params, query }) => {
      const weekStart = weekStartOf(params.week_start);
      const row = await db.session((s) => getWeeklySummary(s, principal.tenantId, weekStart));
      if (!row) throw new ProblemError(404, `no weekly summary for the week of ${weekStart}`);
      if (query.format === 'markdown') {
        return c.body(row.report_markdown, 200, { 'content-type': 'text/markdown; charset=utf-8' });
      }
      if (query.format === 'html') {
        return c.body(summaryHtml(row.summary), 200, {
          'content-type': 'text/html; charset=utf-8',
          // The page needs nothing but its inline style; anything else in it could only be injected.
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        });
      }
      return c.json({ id: row.id, created_at: row.created_at, agent_run_id: row.agent_run_id, ...row.summary });
    },
  );
}
