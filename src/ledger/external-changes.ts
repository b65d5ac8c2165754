// Changes made outside Nightshift (docs/ad-platforms.md, "Changes made outside Nightshift"):
// someone paused, resumed or re-budgeted a linked campaign on its ad platform, and a sync or an
// import found it and brought the campaign in line. Each such campaign gets one ledger row,
// `external_change`, executed and decided by nobody Nightshift knows, holding the status and
// budget before and after as the campaign kinds hold them. Recorded rather than merely applied:
// an earlier action's rollback then conflicts as for a local edit (the campaign no longer holds
// what the action left), and the cycle's cooldowns read it (src/engine/candidates.ts).
import type { SqlSession } from '../db/port.ts';
import { type NewAction, recordActions } from './record.ts';

/** A linked campaign the platform had moved; budgets as the campaigns table's decimal text. */
export interface ExternalMove {
  campaignId: string;
  previous: { status: string; budget: string };
  next: { status: string; budget: string };
}

/** The account the campaigns belong to, as its rows word it. */
export interface ExternalSource {
  /** The platform as people name it: Meta, Google Ads. */
  platformName: string;
  currency: string;
  /** When the change was found; the transaction's instant when absent. */
  at?: Date;
}

/** "Changed on Meta outside Nightshift: status active → paused; daily budget 50.00 → 80.00 EUR". */
export function externalChangeReason(move: ExternalMove, source: ExternalSource): string {
  const { previous, next } = move;
  const changes = [
    ...(previous.status === next.status ? [] : [`status ${previous.status} → ${next.status}`]),
    ...(previous.budget === next.budget ? [] : [`daily budget ${previous.budget} → ${next.budget} ${source.currency}`]),
  ];
  return `Changed on ${source.platformName} outside Nightshift: ${changes.join('; ')}`;
}

export async function recordExternalChanges(
  s: SqlSession,
  tenantId: string,
  source: ExternalSource,
  moves: readonly ExternalMove[],
): Promise<void> {
  const rows = moves.map(
    (move): NewAction => ({
      campaignId: move.campaignId,
      actionType: 'external_change',
      reason: externalChangeReason(move, source),
      previousState: move.previous,
      newState: move.next,
      status: 'executed',
    }),
  );
  await recordActions(s, tenantId, { decidedBy: null, at: source.at }, rows);
}
