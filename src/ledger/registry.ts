// Every action_type the ledger holds, and its kind: how an approved suggestion of it is carried out
// and how an executed one is undone (src/ledger/action-kind.ts). A new kind of change is a file in
// kinds/ and a line here; rollback and approval find it by the row's action_type.
import type { ActionKind } from './action-kind.ts';
import { DELAY_CHANGE } from './kinds/asset-delay.ts';
import { CAMPAIGN_STATE } from './kinds/campaign-state.ts';
import { SOCIAL_POST } from './kinds/social-post.ts';
import { COPY_REWRITE } from './kinds/variant-copy.ts';
import { VARIANT_KILL } from './kinds/variant-kill.ts';

/**
 * A row that records something Nightshift did not change (a notification, a rollback's own row, a
 * change made outside Nightshift): nothing to approve or undo.
 */
const RECORD_ONLY: ActionKind = {};

const ACTION_KINDS = {
  auto_pause: CAMPAIGN_STATE,
  auto_scale_up: CAMPAIGN_STATE,
  auto_resume: CAMPAIGN_STATE,
  // A person's pause or resume by hand: carried out, undone and sent to an ad platform as the engine's.
  manual_pause: CAMPAIGN_STATE,
  manual_resume: CAMPAIGN_STATE,
  auto_post: SOCIAL_POST,
  notify: RECORD_ONLY,
  rollback: RECORD_ONLY,
  external_change: RECORD_ONLY,
  kill_variant: VARIANT_KILL,
  rewrite_email_subject: COPY_REWRITE,
  rewrite_email_body: COPY_REWRITE,
  rewrite_sms_copy: COPY_REWRITE,
  rewrite_voice_script: COPY_REWRITE,
  change_delay: DELAY_CHANGE,
} satisfies Record<string, ActionKind>;

/**
 * The order in which a batch carries its kinds out (src/ledger/execute.ts): the order above. A
 * kill locks its step before its variants, so kills come before the rewrites that lock variants.
 */
export const BATCH_ORDER: readonly ActionKind[] = [...new Set<ActionKind>(Object.values(ACTION_KINDS))];

export type ActionType = keyof typeof ACTION_KINDS;

/** Every action_type the ledger knows (the API's list must name the same: test/action-types.test.ts). */
export const LEDGER_ACTION_TYPES = Object.keys(ACTION_KINDS) as ActionType[];

export function actionKind(actionType: string): ActionKind {
  if (!Object.hasOwn(ACTION_KINDS, actionType)) throw new Error(`the ledger knows no action type ${actionType}`);
  return ACTION_KINDS[actionType as ActionType];
}
