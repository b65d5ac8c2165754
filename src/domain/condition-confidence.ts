// The confidence of a rule whose condition is arbitrary (notify and post rules): the posterior
// probability that the condition truly holds, given the counts behind each term's window. ROI
// terms are judged by the tenant's ROI model (the caller's RoiBelow, docs/confidence.md), as pauses
// and scales are; rates and costs by their own conjugate posteriors.
import gammaCdf from '@stdlib/stats-base-dists-gamma-cdf';
import type { Window } from '../contract/rule-vocabulary.ts';
import type { Term } from '../contract/rules.ts';
import { probabilityRateBelow } from './confidence.ts';
import type { RuleTotal } from './metrics.ts';
import type { Condition } from './rules.ts';

/** A window's sums of every total a rule may test. */
export interface WindowTotals extends Record<RuleTotal, number> {
  /**
   * The spend behind the conversions reported so far (attribution lag, src/engine/campaign-evidence.ts):
   * ROI and CPA are judged on it, as the rule's match was.
   */
  exposure: number;
}
export type WindowedTotals = Record<Window, WindowTotals>;

/** P(true ROI < threshold) given a window's totals, under the tenant's ROI model. */
export type RoiBelow = (window: WindowTotals, threshold: number) => number;

/** The observed value of a metric, as the candidate SQL computes it (null: undefined, e.g. x/0). */
export function observedValue(metric: Term['metric'], w: WindowTotals): number | null {
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  switch (metric) {
    case 'roi':
      return ratio(w.revenue, w.exposure);
    case 'ctr':
      return ratio(w.clicks, w.impressions);
    case 'conversion_rate':
      return ratio(w.conversions, w.clicks);
    case 'reply_rate':
      return ratio(w.replies, w.sends);
    case 'cpa':
      return ratio(w.exposure, w.conversions);
    case 'cpc':
      return ratio(w.spend, w.clicks);
    default:
      return w[metric];
  }
}

/** P(true metric < threshold); totals (spend, clicks, ...) are measured, not estimated. */
type Estimate = number | 'measured' | 'no_evidence';

/**
 * P(true cost per event < threshold) for `events` bought with `spend`: events per unit of spend
 * r has the posterior Gamma(0.5 + events, spend) (Jeffreys prior), and cost < t means r > 1/t.
 */
function probabilityCostBelow(events: number, spend: number, threshold: number): Estimate {
  if (threshold <= 0) return 0;
  if (spend <= 0) return 'no_evidence';
  return 1 - gammaCdf(1 / threshold, 0.5 + events, spend);
}

function probabilityBelow(term: Term, w: WindowTotals, roiBelow: RoiBelow): Estimate {
  const t = term.threshold;
  switch (term.metric) {
    case 'roi':
      return roiBelow(w, t);
    case 'ctr':
      return probabilityRateBelow(w.clicks, w.impressions, t);
    case 'conversion_rate':
      return probabilityRateBelow(w.conversions, w.clicks, t);
    case 'reply_rate':
      return probabilityRateBelow(w.replies, w.sends, t);
    case 'cpa':
      return probabilityCostBelow(w.conversions, w.exposure, t);
    case 'cpc':
      return probabilityCostBelow(w.clicks, w.spend, t);
    default:
      return 'measured';
  }
}

function observedHolds(term: Term, w: WindowTotals): boolean {
  const value = observedValue(term.metric, w);
  if (value === null) return false;
  const t = term.threshold;
  switch (term.operator) {
    case '<':
      return value < t;
    case '<=':
      return value <= t;
    case '>':
      return value > t;
    case '>=':
      return value >= t;
    case '=':
      return value === t;
    case '!=':
      return value !== t;
  }
}

/**
 * P(term truly holds). Totals (spend, clicks, ...) are measured, not estimated: 1 or 0. So are
 * `=` and `!=`, which have no useful posterior on a continuous quantity. Rates and costs use
 * their posteriors; with no exposure at all (e.g. no spend for a CPA) there is no evidence: 0.5.
 */
export function termProbability(term: Term, w: WindowTotals, roiBelow: RoiBelow): number {
  const equality = term.operator === '=' || term.operator === '!=';
  const below = equality ? 'measured' : probabilityBelow(term, w, roiBelow);
  if (below === 'measured') return observedHolds(term, w) ? 1 : 0;
  if (below === 'no_evidence') return 0.5;
  return term.operator === '<' || term.operator === '<=' ? below : 1 - below;
}

/** 'all': the product of the terms' probabilities (taken as independent); 'any': one minus none holding. */
export function conditionProbability(condition: Condition, windows: WindowedTotals, roiBelow: RoiBelow): number {
  const probabilities = condition.terms.map((term) => termProbability(term, windows[term.window], roiBelow));
  if (condition.match === 'any') return 1 - probabilities.reduce((none, p) => none * (1 - p), 1);
  return probabilities.reduce((all, p) => all * p, 1);
}
