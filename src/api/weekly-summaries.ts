// /api/weekly-summaries: the tenant's stored weekly summaries (src/cmo/weekly-summary.ts), newest
// week first in cursor pages, and one week's summary as JSON, as the stored Markdown report, or as
// an HTML page rendered from the stored summary.
import { z } from 'zod';
import { summaryHtml } from '../cmo/summary-report.ts';
import { getWeeklySummary, isMonday, listWeeklySummaries, TOTAL_METRICS } from '../cmo/weekly-summary.ts';
import { ProblemError } from '../server/problem.ts';
import { pageQuery, pageSchema, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { isoDate, timestamp, uuid } from './schemas.ts';
import { invalid } from './validate.ts';

const FORMATS = ['json', 'markdown', 'html'] as const;

const figure = z.number().nullable();
const comparison = z.object({
  this_week: figure,
  previous_week: figure,
  change: figure.describe('this_week − previous_week'),
  change_pct: figure.describe('change / previous_week to 4 decimals; null when previous_week is 0 or null'),
});
const totals = z
  .object(Object.fromEntries(TOTAL_METRICS.map((metric) => [metric, comparison])))
  .describe('Money to the cent in the tenant’s currency; roi = revenue / spend to 4 decimals');

const campaignWeek = z.object({
  campaign_id: uuid,
  title: z.string(),
  spend: z.number(),
  revenue: z.number(),
  roi: figure,
  reply_rate: figure,
  conversions: z.number().int(),
  sends: z.number().int(),
  replies: z.number().int(),
  meetings: z.number().int(),
});

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

const summary = z.object({
  id: uuid,
  created_at: timestamp,
  agent_run_id: uuid.nullable().describe('The agent run that wrote it, if one did'),
  week_start: isoDate.describe('The Monday the week starts on (UTC days)'),
  week_end: isoDate.describe('Its Sunday'),
  previous_week_start: isoDate.describe('The Monday of the week compared with'),
  currency: z.string(),
  generated_at: timestamp,
  totals,
  best_campaigns: z.array(campaignWeek).describe('Up to 3 campaigns that spent, best ROI first'),
  worst_campaigns: z.array(campaignWeek).describe('Up to 3 others that spent, worst ROI first'),
  best_by_reply_rate: z.array(campaignWeek).describe('Up to 3 campaigns without spend that sent 50 or more'),
  worst_by_reply_rate: z.array(campaignWeek),
  actions: z.object({
    executed: z.number().int(),
    executed_by_type: z.record(z.string(), z.number().int()),
    rolled_back: z.number().int(),
    suggestions_pending: z.number().int(),
    measured_count: z.number().int(),
    measured: z.array(
      z.object({
        action_id: uuid,
        action_type: z.string(),
        campaign_id: uuid,
        title: z.string(),
        executed_at: timestamp,
        revenue_change: figure,
        spend_change: figure,
        roi_change: figure,
      }),
    ),
  }),
  opportunities: z.object({
    open: z.number().int(),
    by_severity: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()]))),
    top: z.array(
      z.object({
        opportunity_id: uuid,
        campaign_id: uuid,
        title: z.string(),
        opportunity_type: z.string(),
        severity: z.enum(SEVERITIES),
        description: z.string(),
      }),
    ),
  }),
});

const listItem = summary.pick({
  id: true,
  week_start: true,
  week_end: true,
  created_at: true,
  agent_run_id: true,
  totals: true,
});

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
      responses: { 200: { description: 'A page of summaries with their totals', schema: pageSchema(listItem) } },
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
        200: { description: 'The summary (with format=json)', schema: summary },
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
