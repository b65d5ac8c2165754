// How a step's sends are shared out among its variants: each live variant gets its probability of
// being the best (probability matching, what Thompson sampling does on average), with a floor, so a
// variant that looks behind keeps getting enough sends to be judged, and a killed one gets none.
// successes and trials are the goal's metric and sends (GOAL_METRIC in the optimizer: replies,
// meetings or conversions per send), the same arms the loop's kill decision looks at.
import { probabilityBest } from './variant-selection.ts';

export interface AllocationVariant {
  id: string;
  status: 'active' | 'killed';
  successes: number;
  trials: number;
}

export interface AllocationOptions {
  /**
   * The least share of a live variant. Default: 0.05, or 1/(2k) for k live variants when k
   * floors of 0.05 would take more than half the traffic (k > 10), so P(best) always decides at
   * least half. 5% of a step of 1,000 sends is 50 sends: enough to keep a posterior moving.
   * A floor above 1/k is taken as 1/k (an equal split).
   */
  floor?: number;
}

/**
 * Each variant's share of the next sends, summing to 1: killed variants 0, live ones P(best) with
 * the floor. Variants without sends have equal posteriors, so they split equally. No live
 * variant: an empty map (the step cannot be sent).
 */
export function allocationWeights(
  variants: readonly AllocationVariant[],
  options: AllocationOptions = {},
): Map<string, number> {
  const live = variants.filter((variant) => variant.status === 'active');
  if (live.length === 0) return new Map();
  const k = live.length;
  const floor = Math.min(Math.max(options.floor ?? Math.min(0.05, 1 / (2 * k)), 0), 1 / k);
  const shares = withFloor(probabilityBest(live), floor);
  const byId = new Map(live.map((variant, i) => [variant.id, shares[i]!]));
  return new Map(variants.map((variant) => [variant.id, variant.status === 'active' ? byId.get(variant.id)! : 0]));
}

/**
 * The floor is a minimum, not a tax: variants whose share falls below it are raised to it, and the
 * rest share what is left in proportion to P(best) (repeated, since that can push another below).
 * Adding the floor to everyone and renormalising would take the top variant's share down even
 * when no variant needed lifting, and max(p, floor) then renormalising lands below the floor.
 */
function withFloor(probabilities: readonly number[], floor: number): number[] {
  const k = probabilities.length;
  const floored = new Array<boolean>(k).fill(false);
  const shares = new Array<number>(k).fill(floor);
  for (let round = 0; round < k; round++) {
    let free = 0;
    let freeCount = 0;
    probabilities.forEach((p, i) => {
      if (!floored[i]) {
        free += p;
        freeCount++;
      }
    });
    const left = 1 - (k - freeCount) * floor;
    let lifted = false;
    probabilities.forEach((p, i) => {
      if (floored[i]) return;
      shares[i] = free > 0 ? (left * p) / free : left / freeCount;
      if (shares[i]! < floor) {
        floored[i] = true;
        shares[i] = floor;
        lifted = true;
      }
    });
    if (!lifted) break;
  }
  return shares;
}

/**
 * A variant for each of `count` recipients, each drawn on its own from the weights (`random`
 * returns [0, 1), seeded in tests). A variant of weight 0 is never drawn.
 */
export function assignVariants(weights: ReadonlyMap<string, number>, count: number, random: () => number): string[] {
  const ids: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [id, weight] of weights) {
    if (!(weight > 0)) continue;
    total += weight;
    ids.push(id);
    cumulative.push(total);
  }
  if (count > 0 && ids.length === 0) throw new Error('no variant has a share of the sends');
  const chosen: string[] = [];
  for (let n = 0; n < count; n++) {
    const roll = random() * total;
    // Binary search for the first cumulative weight above the roll.
    let low = 0;
    let high = ids.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! > roll) high = middle;
      else low = middle + 1;
    }
    chosen.push(ids[low]!);
  }
  return chosen;
}
