// Meta's 4 budget changes per ad set (or campaign budget) per hour, checked from the Meta
// stand-in's request log, each request at its time by the bench's clock: the most budget changes
// any object received within an hour, and the objects that received a fifth within an hour of the
// first of four.
import type { RecordedCall } from '../../simulation/ad-platforms/meta-graph-server.ts';

const HOUR_MS = 3_600_000;

export interface BudgetRuleCheck {
  objects: number;
  budgetChanges: number;
  /** The most budget changes one object received in any hour (a window [t, t + 1 h)). */
  mostInAnHour: number;
  /** Objects that received more than `perHour` in an hour. */
  broken: string[];
}

/** The budget changes (POSTs carrying daily_budget) of each object, in the order they arrived. */
export function budgetChangesByObject(calls: readonly RecordedCall[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const call of calls) {
    if (call.method !== 'POST' || call.body.daily_budget === undefined) continue;
    const id = call.path.split('/').at(-1)!;
    const list = times.get(id);
    if (list) list.push(call.at.getTime());
    else times.set(id, [call.at.getTime()]);
  }
  return times;
}

export function checkBudgetRule(calls: readonly RecordedCall[], perHour: number): BudgetRuleCheck {
  const byObject = budgetChangesByObject(calls);
  const check: BudgetRuleCheck = { objects: byObject.size, budgetChanges: 0, mostInAnHour: 0, broken: [] };
  for (const [id, times] of byObject) {
    check.budgetChanges += times.length;
    // Sorted by time, the changes within an hour of change i are i..j-1.
    const sorted = [...times].sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while (j < sorted.length && sorted[j]! < sorted[i]! + HOUR_MS) j++;
      most = Math.max(most, j - i);
    }
    check.mostInAnHour = Math.max(check.mostInAnHour, most);
    if (most > perHour) check.broken.push(id);
  }
  return check;
}
