// A tenant's settings (tenants.settings): the guardrails every rule's action passes
// (src/domain/guardrails.ts) and the CMO loop's thresholds (docs/cmo-loop.md). Every field has a
// default, so a tenant that never set one runs with the documented values; PATCH
// /api/tenants/{id} takes them and GET answers them with the defaults filled in.
import { z } from 'zod';

export const guardrailSettingsSchema = z
  .object({
    /** No pause before the campaign has spent this much, whatever a rule says. */
    min_spend_before_pause: z.number().min(0).default(50),
    /** No second budget change for a campaign within this many hours. */
    cooldown_hours: z.number().min(0).default(24),
    /** Total budget the engine may add per tenant per UTC day; null: no cap. */
    max_daily_budget_increase: z.number().min(0).nullable().default(10_000),
    /** Scaling needs at least this confidence (a probability). */
    min_scale_confidence: z.number().min(0).max(1).default(0.75),
    /** A pause is executed at this confidence or more; below it, it is only suggested. */
    min_pause_confidence: z.number().min(0).max(1).default(0.9),
    /**
     * A pause or scale needs an expected net gain (docs/confidence.md) of at least this share of
     * the spend it moves over a week; below it, the engine leaves the campaign as it is.
     */
    min_expected_net_share: z.number().min(0).max(1).default(0.05),
    /**
     * Days after which a day's conversions are taken as complete, arriving evenly until then:
     * used when the stats' own revisions are too few to measure the lag; null: days are complete.
     */
    attribution_lag_days: z.number().int().min(0).max(13).nullable().default(null),
    /**
     * After a person rolls back an action, no rule acting in the same direction (pause, scale,
     * post) acts on that campaign for this many hours: not only the rule that acted.
     */
    rollback_cooldown_hours: z.number().min(0).default(72),
    /**
     * A suggestion a person dismissed is not made again for the same campaign and action type for
     * this many days, unless the evidence moved materially (src/domain/respite.ts); 0: no respite.
     */
    dismissal_respite_days: z.number().int().min(0).max(365).default(30),
    /** Posting needs at least this probability that the post rule's condition truly holds. */
    min_post_confidence: z.number().min(0).max(1).default(0.75),
    /** A campaign is not posted again within this many hours (the seeds: "avoid spam"). */
    post_cooldown_hours: z.number().min(0).default(24),
    /** A notify rule does not notify about the same campaign again within this many hours. */
    notify_cooldown_hours: z.number().min(0).default(24),
    /**
     * The engine resumes a campaign it paused once the conversions reported since make
     * P(ROI > 1) at least this (docs/revive.md); a campaign without autopilot gets a suggestion.
     */
    revive_confidence: z.number().min(0).max(1).default(0.9),
  })
  .strict();
export type GuardrailSettings = z.output<typeof guardrailSettingsSchema>;

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
