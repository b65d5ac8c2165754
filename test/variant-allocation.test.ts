// Sharing a step's sends among its variants: killed ones get nothing, live ones P(best) with a
// floor, and the draws follow the weights (checked against binomial sampling error).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/demo/random.ts';
import { type AllocationVariant, allocationWeights, assignVariants } from '../src/domain/variant-allocation.ts';
import { probabilityBest } from '../src/domain/variant-selection.ts';

const live = (id: string, successes: number, trials: number): AllocationVariant => ({
  id,
  status: 'active',
  successes,
  trials,
});
const killed = (id: string, successes = 50, trials = 100): AllocationVariant => ({
  id,
  status: 'killed',
  successes,
  trials,
});

const counts = (ids: string[]) =>
  ids.reduce((map, id) => map.set(id, (map.get(id) ?? 0) + 1), new Map<string, number>());

/** |observed − n·p| within four binomial standard deviations (a false alarm ~1 in 16,000). */
function expectDrawn(observed: number, n: number, p: number) {
  expect(Math.abs(observed - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)) + 1);
}

describe('allocationWeights', () => {
  it('splits equally between variants that have no sends yet', () => {
    const weights = allocationWeights([live('a', 0, 0), live('b', 0, 0), live('c', 0, 0)]);
    for (const weight of weights.values()) expect(weight).toBeCloseTo(1 / 3, 12);
  });

  it('gives a single live variant everything, killed ones nothing, and no live variant no step', () => {
    expect(allocationWeights([killed('a'), live('b', 1, 10), killed('c')])).toEqual(
      new Map([
        ['a', 0],
        ['b', 1],
        ['c', 0],
      ]),
    );
    expect(allocationWeights([killed('a'), killed('b')])).toEqual(new Map());
    expect(allocationWeights([])).toEqual(new Map());
  });

  it('is P(best) itself when every variant is above the floor', () => {
    const arms = [live('a', 40, 1000), live('b', 36, 1000), live('c', 38, 1000)];
    const p = probabilityBest(arms);
    expect(Math.min(...p)).toBeGreaterThan(0.05);
    const weights = allocationWeights(arms);
    expect(arms.map((arm) => weights.get(arm.id)!)).toEqual(p.map((value) => expect.closeTo(value, 12)));
  });

  it('lifts a hopeless variant to the floor and takes it from the others in proportion', () => {
    // P(best) of c is ~0: raised to 0.05; a and b share 0.95 in their own ratio.
    const arms = [live('a', 60, 1000), live('b', 55, 1000), live('c', 5, 1000)];
    const [pa, pb] = probabilityBest(arms);
    const weights = allocationWeights(arms);
    expect(weights.get('c')).toBeCloseTo(0.05, 12);
    expect(weights.get('a')! / weights.get('b')!).toBeCloseTo(pa! / pb!, 9);
    expect(weights.get('a')! + weights.get('b')!).toBeCloseTo(0.95, 12);
  });

  it('keeps the floors to half the traffic when there are many variants', () => {
    const arms = Array.from({ length: 12 }, (_, i) => live(`v${i}`, i === 0 ? 200 : 10, 1000));
    const weights = allocationWeights(arms);
    expect(weights.get('v5')).toBeCloseTo(1 / 24, 12);
    expect(weights.get('v0')).toBeCloseTo(1 - 11 / 24, 12);
    // A floor above 1/k is an equal split.
    for (const weight of allocationWeights(arms.slice(0, 4), { floor: 0.4 }).values()) expect(weight).toBeCloseTo(0.25);
  });

  it('never gives a killed variant a share, and keeps every live one at the floor or above', () => {
    const variant = fc.record({
      isKilled: fc.boolean(),
      trials: fc.integer({ min: 0, max: 50_000 }),
      rate: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(variant, { minLength: 1, maxLength: 12 }),
        fc.option(fc.double({ min: 0, max: 0.3, noNaN: true })),
        (list, floor) => {
          const variants: AllocationVariant[] = list.map((v, i) => ({
            id: `v${i}`,
            status: v.isKilled ? 'killed' : 'active',
            successes: Math.round(v.trials * v.rate),
            trials: v.trials,
          }));
          const weights = allocationWeights(variants, floor === null ? {} : { floor });
          const liveCount = variants.filter((v) => v.status === 'active').length;
          if (liveCount === 0) {
            expect(weights.size).toBe(0);
            return;
          }
          const minimum = Math.min(floor ?? Math.min(0.05, 1 / (2 * liveCount)), 1 / liveCount);
          let total = 0;
          for (const v of variants) {
            const weight = weights.get(v.id)!;
            if (v.status === 'killed') expect(weight).toBe(0);
            else expect(weight).toBeGreaterThanOrEqual(minimum - 1e-12);
            total += weight;
          }
          expect(total).toBeCloseTo(1, 9);
          const drawn = assignVariants(weights, 200, createRandom(list.length).uniform);
          expect(drawn.every((id) => variants.find((v) => v.id === id)!.status === 'active')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('assignVariants', () => {
  it('gives a clear winner most of the traffic and the loser its floor, within sampling error', () => {
    const weights = allocationWeights([live('winner', 100, 1000), live('loser', 20, 1000), killed('dead', 500, 1000)]);
    expect(weights.get('winner')).toBeCloseTo(0.95, 9);
    const drawn = counts(assignVariants(weights, 20_000, createRandom(7).uniform));
    expectDrawn(drawn.get('loser') ?? 0, 20_000, 0.05);
    expect(drawn.get('winner')).toBeGreaterThan(18_500);
    expect(drawn.has('dead')).toBe(false);
  });

  it('shares equally between equal variants, within sampling error', () => {
    const weights = allocationWeights([live('a', 30, 1000), live('b', 30, 1000), live('c', 30, 1000)]);
    const drawn = counts(assignVariants(weights, 30_000, createRandom(11).uniform));
    for (const id of ['a', 'b', 'c']) expectDrawn(drawn.get(id)!, 30_000, 1 / 3);
  });

  it('follows the weights it is given, and repeats itself for the same seed', () => {
    const weights = new Map([
      ['a', 0.7],
      ['b', 0],
      ['c', 0.2],
      ['d', 0.1],
    ]);
    const drawn = assignVariants(weights, 50_000, createRandom(3).uniform);
    const tally = counts(drawn);
    expectDrawn(tally.get('a')!, 50_000, 0.7);
    expectDrawn(tally.get('c')!, 50_000, 0.2);
    expectDrawn(tally.get('d')!, 50_000, 0.1);
    expect(tally.has('b')).toBe(false);
    expect(assignVariants(weights, 50_000, createRandom(3).uniform)).toEqual(drawn);
  });

  it('draws nothing for no recipients, and refuses to draw from no variant', () => {
    expect(assignVariants(new Map(), 0, Math.random)).toEqual([]);
    expect(() => assignVariants(new Map([['a', 0]]), 1, Math.random)).toThrow(/no variant/);
    // The edges of [0, 1): a roll of 0 never lands on a zero weight in front.
    expect(
      assignVariants(
        new Map([
          ['z', 0],
          ['a', 1],
        ]),
        1,
        () => 0,
      ),
    ).toEqual(['a']);
    expect(
      assignVariants(
        new Map([
          ['a', 0.5],
          ['b', 0.5],
          ['z', 0],
        ]),
        1,
        () => 1 - 2 ** -53,
      ),
    ).toEqual(['b']);
  });
});
