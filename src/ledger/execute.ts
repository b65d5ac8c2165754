// Writing a batch of decisions, the cycle's or a CMO loop run's, in the caller's transaction: the
// executed ones are carried out through their kinds (one statement over arrays per kind, each change
// only where its target still holds the state it was decided on), then every row is recorded in one
// INSERT, then the work that names a row is queued (a social post; a change on an ad platform). A
// change on a linked campaign is not made here: its row is recorded 'applying' and its outbox row
// queued in the same transaction (src/ledger/kinds/platform-change.ts). A change whose target had
// moved is neither made nor recorded, and the caller hears which.
import { randomUUID } from 'node:crypto';
import type { SqlSession } from '../db/port.ts';
import type { ActionKind, BatchApplied, BatchChange } from './action-kind.ts';
import { type ActionSource, type NewAction, type RecordedAction, recordActions } from './record.ts';
import { actionKind, BATCH_ORDER } from './registry.ts';

export interface ExecutedBatch {
  /** The rows written, each with its campaign and status. */
  recorded: RecordedAction[];
  /** The executed decisions (as passed in) whose target no longer held their previous state. */
  notMade: NewAction[];
}

interface Entry {
  action: NewAction & { id: string };
  change: BatchChange;
}

export async function executeActions(
  s: SqlSession,
  tenantId: string,
  source: ActionSource & { at: Date },
  actions: readonly NewAction[],
): Promise<ExecutedBatch> {
  if (actions.length === 0) return { recorded: [], notMade: [] };
  const entries = actions.map((action) => {
    const withId = { ...action, id: randomUUID() };
    return { original: action, entry: { action: withId, change: batchChange(withId) } };
  });
  const executedByKind = groupByKind(entries.filter(({ original }) => original.status === 'executed'));
  const notMade = new Set<NewAction>();
  // Accepted and handed on to a worker (a change on an ad platform): recorded 'applying'.
  const awaiting = new Set<string>();
  for (const [kind, group] of executedByKind) {
    if (kind.applyMany) {
      const applied = await kind.applyMany(
        s,
        tenantId,
        group.map(({ entry }) => entry.change),
        source.at,
      );
      const { made, awaiting: handedOn }: BatchApplied =
        'made' in applied ? applied : { made: applied, awaiting: new Set() };
      for (const { original, entry } of group) {
        if (handedOn.has(entry.action.id)) awaiting.add(entry.action.id);
        else if (!made.has(entry.action.id)) notMade.add(original);
      }
    } else if (kind.apply && !kind.enqueueMany) {
      throw new Error(`a ${group[0]!.original.actionType} action cannot be carried out in a batch`);
    }
  }
  const kept = entries.filter(({ original }) => !notMade.has(original));
  const recorded = await recordActions(
    s,
    tenantId,
    source,
    kept.map(({ entry }) =>
      awaiting.has(entry.action.id) ? { ...entry.action, status: 'applying' as const } : entry.action,
    ),
  );
  for (const [kind, group] of executedByKind) {
    const queued = group.filter(({ original }) => !notMade.has(original));
    if (kind.enqueueMany && queued.length > 0) {
      await kind.enqueueMany(
        s,
        tenantId,
        queued.map(({ entry }) => entry.change),
        source.at,
      );
    }
  }
  return { recorded, notMade: [...notMade] };
}

function batchChange(action: NewAction & { id: string }): BatchChange {
  return {
    actionId: action.id,
    campaignId: action.campaignId,
    reason: action.reason,
    previousState: action.previousState as Record<string, unknown>,
    newState: action.newState as Record<string, unknown>,
  };
}

/** The executed decisions by kind, the kinds in the registry's order (every batch locks in one order). */
function groupByKind<T extends { original: NewAction; entry: Entry }>(items: readonly T[]): Map<ActionKind, T[]> {
  const groups = new Map<ActionKind, T[]>(BATCH_ORDER.map((kind) => [kind, []]));
  for (const item of items) groups.get(actionKind(item.original.actionType))!.push(item);
  for (const [kind, group] of groups) if (group.length === 0) groups.delete(kind);
  return groups;
}
