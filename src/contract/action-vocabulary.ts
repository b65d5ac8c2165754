// What a ledger action can be and where it can stand: plain lists (no zod), so the dashboard's
// filters take them as values.
// external_change: a linked campaign changed on its ad platform outside Nightshift (docs/ad-platforms.md).
// kill_variant … change_delay: the CMO loop's (src/cmo/planned-change.ts).
// manual_pause, manual_resume: a person paused or resumed the campaign by hand (POST /api/campaigns/{id}/pause).
// test/action-types.test.ts holds this list to the ledger's registry.
export const ACTION_TYPES = [
  'auto_pause',
  'auto_scale_up',
  'auto_resume',
  'auto_post',
  'notify',
  'rollback',
  'external_change',
  'kill_variant',
  'rewrite_email_subject',
  'rewrite_email_body',
  'rewrite_sms_copy',
  'rewrite_voice_script',
  'change_delay',
  'manual_pause',
  'manual_resume',
] as const;
// applying: accepted, waiting for an ad platform to confirm it (docs/ad-platforms.md, "Decisions out").
export const ACTION_STATUSES = [
  'pending',
  'applying',
  'executed',
  'rolled_back',
  'failed',
  'dismissed',
  'superseded',
] as const;

export type ActionType = (typeof ACTION_TYPES)[number];
export type ActionStatus = (typeof ACTION_STATUSES)[number];
