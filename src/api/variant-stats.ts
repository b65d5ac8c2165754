// POST /api/content/variant-stats: each variant's counters and reply timing, as the sending
// platform reports them. What the CMO loop judges variants (and step delays) by.
import { z } from 'zod';
import { FUNNEL_COUNTERS, perMetric } from '../domain/metrics.ts';
import { replyDelaysSchema } from '../domain/reply-timing.ts';
import { recordVariantStats } from '../services/stats.ts';
import type { ApiRouter } from './router.ts';
import { count, uuid } from './schemas.ts';

export const MAX_VARIANT_STAT_ROWS = 10_000;

const counter = count.default(0);
const rowSchema = z.strictObject({
  variant_id: uuid,
  ...perMetric(FUNNEL_COUNTERS, () => counter),
  reply_delays: replyDelaysSchema
    .optional()
    .describe(
      'Replies by hours after the send: keys are bucket bounds (1, 2, 4, 8, 12, 24, 48, 72, 96, 120, 168, 336, more); left out, the stored timing stays',
    ),
});

const batchSchema = z.strictObject({
  rows: z
    .array(rowSchema)
    .min(1)
    .max(MAX_VARIANT_STAT_ROWS)
    .refine((rows) => new Set(rows.map((r) => r.variant_id)).size === rows.length, {
      message: 'names a variant more than once',
    }),
});

export function variantStatsRoutes(api: ApiRouter): void {
  api.tenant(
    {
      method: 'post',
      path: '/api/content/variant-stats',
      tag: 'Content',
      summary: 'Set variants’ counters and reply timing (up to 10,000 rows)',
      description:
        'Counters are cumulative totals that replace the stored ones, so sending a report again changes nothing. A batch with any invalid row or an unknown variant is refused whole, with each offending row named.',
      access: 'member',
      body: batchSchema,
      responses: {
        200: { description: 'How many variants were set', schema: z.object({ rows: z.number().int() }) },
      },
    },
    async ({ c, db, principal, body }) => {
      await recordVariantStats(db, principal.tenantId, body.rows);
      return c.json({ rows: body.rows.length });
    },
  );
}
