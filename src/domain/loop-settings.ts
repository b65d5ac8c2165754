// The CMO loop's thresholds, per tenant (tenants.settings.cmo_loop); every field has a default, so
// a tenant that never set one runs with the documented values (docs/cmo-loop.md).
import { z } from 'zod';

export const loopSettingsSchema = z
  .object({
    /** A variant is killed when the probability that it is the best of its step falls below this. */
    kill_threshold: z.number().gt(0).max(0.5).default(0.05),
    /** No variant of a step is judged until every active variant of the step has this many sends. */
    min_variant_sends: z.number().int().min(1).default(200),
    /** Delay changes stay within [min_delay_hours, max_delay_hours]. */
    min_delay_hours: z.number().min(0).max(8760).default(24),
    max_delay_hours: z.number().min(0).max(8760).default(168),
    /** Replies to a step needed before their timing moves the delay of the step after it. */
    min_timing_replies: z.number().int().min(1).default(30),
    /** Content not updated for this many days is flagged as stale (once). */
    stale_after_days: z.number().int().min(1).max(3650).default(14),
    /** An underperforming alert needs at least this many sends ... */
    underperforming_min_sends: z.number().int().min(1).default(50),
    /** ... and a reply rate below this. */
    underperforming_reply_rate: z.number().gt(0).max(1).default(0.01),
  })
  .strict()
  .refine((s) => s.min_delay_hours <= s.max_delay_hours, {
    message: 'min_delay_hours must not exceed max_delay_hours',
    path: ['min_delay_hours'],
  });

export type LoopSettings = z.output<typeof loopSettingsSchema>;

export const DEFAULT_LOOP_SETTINGS: LoopSettings = loopSettingsSchema.parse({});
