// The rules of a content asset's variants that no table enforces: the label a new variant takes,
// and what killing or reviving one changes.
import { InvalidInputError } from './errors.ts';

/** The first of A…Z the asset does not use yet (then V27, V28, ...). */
export function nextVariantLabel(used: readonly string[]): string {
  const taken = new Set(used);
  const letter = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].find((l) => !taken.has(l));
  if (letter) return letter;
  let n = 27;
  while (taken.has(`V${n}`)) n++;
  return `V${n}`;
}

interface KillState {
  status?: string;
  kill_reason?: string | null;
}

/**
 * The fields to write for a change, and what becomes of killed_at: 'now' stamps a kill, null clears
 * it (a revived variant), undefined keeps it. A kill needs a reason, and only a killed variant has one.
 */
export function killChange<Change extends KillState>(
  current: { status: string; kill_reason: string | null },
  change: Change,
): { fields: Change; killedAt: 'now' | null | undefined } {
  const status = change.status ?? current.status;
  if (status === 'killed') {
    const reason = change.kill_reason === undefined ? current.kill_reason : change.kill_reason;
    if (!reason)
      throw new InvalidInputError([{ field: 'kill_reason', in: 'body', message: 'killing a variant needs a reason' }]);
    // Killing a killed variant again keeps the time it was first killed.
    return { fields: change, killedAt: current.status === 'killed' ? undefined : 'now' };
  }
  if (change.kill_reason) {
    throw new InvalidInputError([
      { field: 'kill_reason', in: 'body', message: 'only a killed variant has a kill reason' },
    ]);
  }
  if (current.status === 'killed') return { fields: { ...change, kill_reason: null }, killedAt: null };
  return { fields: change, killedAt: undefined };
}
