// Plain-words pieces of the reasons the ledger stores: amounts, ROI and a rule's terms.

import type { Term } from '../contract/rules.ts';
import type { WindowedTotals } from './condition-confidence.ts';
import { observedValue } from './condition-confidence.ts';
import { metricName, unitOf } from './metrics.ts';
import type { Condition } from './rules.ts';

// Building an Intl.NumberFormat costs far more than using one; a cycle formats thousands of amounts.
const formats = new Map<string, Intl.NumberFormat>();

export function money(amount: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 });
    formats.set(currency, format);
  }
  return format.format(amount);
}

export const percent = (p: number) => `${(p * 100).toFixed(0)}%`;

export function roiText(roi: number | null): string {
  return roi === null ? 'no ROI yet' : `ROI ${roi.toFixed(2)}x`;
}

function metricValueText(metric: Term['metric'], value: number, currency: string): string {
  switch (unitOf(metric)) {
    case 'multiple':
      return `${value.toFixed(2)}x`;
    case 'rate':
      return `${(value * 100).toFixed(2)}%`;
    case 'money':
      return money(value, currency);
    case 'count':
      return String(value);
  }
}

/** E.g. `CTR 3.10% over 7d (> 2.00%)` for each term, joined by "and" / "or". */
export function conditionText(condition: Condition, windows: WindowedTotals, currency: string): string {
  const term = (t: Term) => {
    const value = observedValue(t.metric, windows[t.window]);
    const shown = value === null ? 'n/a' : metricValueText(t.metric, value, currency);
    const over = t.window === 'lifetime' ? '' : ` over ${t.window}`;
    return `${metricName(t.metric)} ${shown}${over} (${t.operator} ${metricValueText(t.metric, t.threshold, currency)})`;
  };
  return condition.terms.map(term).join(condition.match === 'any' ? ' or ' : ' and ');
}
