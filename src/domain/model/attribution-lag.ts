// Attribution lag: the share of a day's conversions that has been reported a given number of days
// later. Platforms report a day's spend at once but its conversions over the following days, so
// the last days always look worse than they are. The model does not count missing conversions as
// zeros: it counts the spend behind a day as spend x completeness(age), the exposure that the
// conversions reported so far correspond to (a Poisson process thinned by the share reported).

/** Ages (days after the stat day) beyond which a day is taken to be complete. */
export const LAG_HORIZON_DAYS = 14;
/** Conversions of matured days needed before a tenant's own curve is trusted. */
export const MIN_MATURED_CONVERSIONS = 50;

/** completeness[age] for ages 0 .. LAG_HORIZON_DAYS - 1, non-decreasing, in [0, 1]; 1 beyond. */
export type Completeness = readonly number[];

/** What the stats' revisions reported, by age of the report, summed over matured days. */
export interface ArrivalsByAge {
  age: number;
  conversions: number;
  spend: number;
}

export const COMPLETE: Completeness = Array.from({ length: LAG_HORIZON_DAYS }, () => 1);

/**
 * The curve measured from revisions: by each age, the share of final conversions reported divided
 * by the share of final spend reported (conversions per unit of spend, relative to final). Null
 * when the matured days hold too few conversions to tell.
 */
export function measuredCompleteness(arrivals: readonly ArrivalsByAge[]): Completeness | null {
  const total = arrivals.reduce((sum, a) => ({ c: sum.c + a.conversions, s: sum.s + a.spend }), { c: 0, s: 0 });
  if (total.c < MIN_MATURED_CONVERSIONS || total.s <= 0) return null;
  const curve: number[] = [];
  let conversions = 0;
  let spend = 0;
  let previous = 0;
  for (let age = 0; age < LAG_HORIZON_DAYS; age++) {
    for (const a of arrivals) {
      if (a.age !== age) continue;
      conversions += a.conversions;
      spend += a.spend;
    }
    const share = spend > 0 ? conversions / total.c / (spend / total.s) : 0;
    // Cumulative shares are monotone in truth; noise in the ratio is not allowed to break that.
    previous = Math.min(Math.max(share, previous), 1);
    curve.push(previous);
  }
  return curve;
}

/** A configured window: conversions arrive evenly over the day itself and `days` days after it. */
export function windowCompleteness(days: number): Completeness {
  return Array.from({ length: LAG_HORIZON_DAYS }, (_, age) => Math.min(1, (age + 1) / (days + 1)));
}
