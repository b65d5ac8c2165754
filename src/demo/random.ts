// Seeded randomness for the demo generator: one Mersenne Twister stream feeds every
// distribution (stdlib's samplers), so a seed reproduces the data bit for bit.
import binomialSampler from '@stdlib/random-base-binomial';
import lognormalSampler from '@stdlib/random-base-lognormal';
import mt19937 from '@stdlib/random-base-mt19937';
import poissonSampler from '@stdlib/random-base-poisson';
import { v4 as uuidv4 } from 'uuid';

export interface Random {
  uniform(): number;
  /** Lognormal given its median and the sigma of its log. */
  lognormal(median: number, sigma: number): number;
  poisson(mean: number): number;
  binomial(trials: number, p: number): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** A version-4 UUID whose bits come from this stream. */
  uuid(): string;
}

export function createRandom(seed: number): Random {
  const prng = mt19937.factory({ seed: seed >>> 0 || 1 });
  // The generator's doubles in [0, 1) (present at run time; missing from stdlib's typings).
  const uniform = (prng as unknown as { normalized: () => number }).normalized;
  const lognormal = lognormalSampler.factory({ prng: uniform });
  const poisson = poissonSampler.factory({ prng: uniform });
  const binomial = binomialSampler.factory({ prng: uniform });
  const random: Random = {
    uniform,
    lognormal: (median, sigma) => lognormal(Math.log(median), sigma),
    poisson: (mean) => (mean > 0 ? poisson(mean) : 0),
    binomial: (trials, p) => (trials > 0 && p > 0 ? binomial(Math.round(trials), Math.min(p, 1)) : 0),
    int: (min, max) => min + Math.floor(uniform() * (max - min + 1)),
    pick: (items) => items[Math.floor(uniform() * items.length)] as (typeof items)[number],
    weighted(weights) {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      let roll = uniform() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key;
      }
      return entries[entries.length - 1]![0];
    },
    uuid() {
      const bytes = new Uint8Array(16);
      for (let i = 0; i < 16; i += 4) {
        const word = prng();
        bytes[i] = word & 0xff;
        bytes[i + 1] = (word >>> 8) & 0xff;
        bytes[i + 2] = (word >>> 16) & 0xff;
        bytes[i + 3] = (word >>> 24) & 0xff;
      }
      return uuidv4({ random: bytes });
    },
  };
  return random;
}

/** A stable 32-bit seed for one part of a run (e.g. tenant 7 of seed 42). */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}
