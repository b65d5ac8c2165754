// Stats ingestion: batches of daily per-channel rows (up to 10,000 a request), upserted in one
// statement, idempotent on campaign + day + channel; the rollup triggers keep the engine's totals
// current in the same transaction. A batch with any bad row is refused whole, each bad row named.
// A batch that at least doubles those tables has them analyzed (src/db/analyze-after-bulk.ts):
// the first batches of a new installation, not the stream after them.
import { z } from 'zod';
import { campaignStatList } from '../contract/stats.ts';
import { DAY_MS } from '../domain/day.ts';
import { isMoney, perMetric, REPORTED_METRICS } from '../domain/metrics.ts';
import { campaignStats, ingestStats } from '../services/stats.ts';
import type { ApiRouter } from './router.ts';
import { channel, count, idParams, isoDate, money, uuid } from './schemas.ts';
import { acceptWellFormedBatch } from './stats-batch-fast-path.ts';

export const MAX_STAT_ROWS = 10_000;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The days stats can be for: not before 2000, not after tomorrow (UTC; a tenant east of UTC is a day ahead). */
export const statDates = () => ({ first: '2000-01-01', last: day(Date.now() + DAY_MS) });

const statDate = isoDate.refine(
  (date) => {
    const { first, last } = statDates();
    return date >= first && date <= last;
  },
  { message: 'must be a day from 2000-01-01 to tomorrow' },
);

const statRow = z.strictObject({
  campaign_id: uuid,
  stat_date: statDate,
  channel,
  ...perMetric(REPORTED_METRICS, (metric) => (isMoney(metric) ? money : count).default(0)),
});

export const statsBatchSchema = z
  .strictObject({ rows: z.array(statRow).min(1).max(MAX_STAT_ROWS) })
  .superRefine(({ rows }, ctx) => {
    const seen = new Map<string, number>();
    rows.forEach((row, i) => {
      const key = `${row.campaign_id}|${row.stat_date}|${row.channel}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i],
          message: `repeats the campaign, day and channel of rows.${first}`,
        });
    });
  });

export function statsRoutes(api: ApiRouter): void {
  const tag = 'Stats';

  api.tenant(
    {
      method: 'post',
      path: '/api/stats',
      tag,
      summary: 'Ingest daily per-channel stats (up to 10,000 rows)',
      description:
        'Each row is one campaign, UTC day and channel; sending a row again replaces its figures (idempotent). Metrics left out are 0. A batch with any invalid row, a repeated key or an unknown campaign is refused whole, with each offending row named.',
      access: 'member',
      body: statsBatchSchema,
      fastBody: (value) => acceptWellFormedBatch(value, { maxRows: MAX_STAT_ROWS, dates: statDates() }),
      responses: {
        200: {
          description: 'How many rows were new, changed, or identical to what was stored',
          schema: z.object({
            rows: z.number().int(),
            inserted: z.number().int(),
            updated: z.number().int(),
            unchanged: z.number().int(),
          }),
        },
      },
    },
    async ({ c, db, principal, body }) => {
      const counts = await ingestStats(db, principal.tenantId, body.rows);
      return c.json({ rows: body.rows.length, ...counts });
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/campaigns/{id}/stats',
      tag,
      summary: 'A campaign’s daily stats per channel',
      description: 'Days from `from` to `to` (inclusive; the last 30 days by default), oldest first.',
      access: 'viewer',
      params: idParams,
      query: z
        .strictObject({ from: isoDate.optional(), to: isoDate.optional(), channel: channel.optional() })
        .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] }),
      responses: { 200: { description: 'The stats rows', schema: campaignStatList } },
    },
    async ({ c, db, principal, params, query }) => {
      const to = query.to ?? day(Date.now());
      const from = query.from ?? day(Date.parse(to) - 29 * DAY_MS);
      return c.json({
        data: await campaignStats(db, principal.tenantId, params.id, { from, to, channel: query.channel }),
      });
    },
  );
}
