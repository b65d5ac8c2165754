// A change the CMO loop will write: an optimizer's answer checked against the campaign it was
// given, with the state before and after, so that the ledger row can undo it.
import type { OptimizationChange } from '../agents/optimizer.ts';
import type { OptimizationState } from '../domain/content-change.ts';
import type { ActionType } from '../ledger/registry.ts';

/** The ledger's action_type for each kind of change (autonomous_actions.action_type). */
export const ACTION_TYPES = {
  email_subject: 'rewrite_email_subject',
  email_body: 'rewrite_email_body',
  sms_copy: 'rewrite_sms_copy',
  voice_script: 'rewrite_voice_script',
  delay: 'change_delay',
  kill_variant: 'kill_variant',
} as const satisfies Record<OptimizationChange['type'], ActionType>;

export interface PlannedChange {
  campaignId: string;
  /** apply: autopilot on (campaign and tenant); suggest: stored for a person to approve. */
  mode: 'apply' | 'suggest';
  type: OptimizationChange['type'];
  assetId: string;
  variantId: string | null;
  previous: OptimizationState;
  next: OptimizationState;
  rationale: string;
  confidence: number | null;
}

/**
 * Two plans propose the same thing when type, target and new value agree (suggestions are
 * deduplicated on it). A copy rewrite leaves the value out: a model words each rewrite anew, and a
 * rewrite of a field already waiting for a person (or turned down by one) is not suggested again.
 */
export function changeKey(
  change: Pick<PlannedChange, 'campaignId' | 'type' | 'assetId' | 'variantId' | 'next'>,
): string {
  const value = change.next.target === 'variant_copy' ? null : change.next.value;
  return JSON.stringify([change.campaignId, change.type, change.assetId, change.variantId, value]);
}
