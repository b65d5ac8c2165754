// How the weekly summaries print weeks and changes: UTC days (the API's weeks are UTC weeks), and
// changes with their sign.

import type { TotalMetric } from '../../../src/contract/weekly-summary.ts';
import { unitOf } from '../../../src/domain/metrics.ts';
import { count, money, ratio } from '../lib/format.ts';

const days = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const utcDay = (date: string) => new Date(`${date}T00:00:00Z`);

/** "Nov 10 – 16, 2026" for a Monday and its Sunday. */
export function weekLabel(weekStart: string, weekEnd: string): string {
  return days.formatRange(utcDay(weekStart), utcDay(weekEnd));
}

export function dayLabel(date: string): string {
  return days.format(utcDay(date));
}

/** A metric's figure as the page prints it. */
export function metricValue(metric: TotalMetric, value: number | null, currency: string): string {
  const unit = unitOf(metric);
  if (unit === 'money') return money(value, currency);
  if (unit === 'multiple') return ratio(value);
  return count(value);
}

const sign = (value: number) => (value > 0 ? '+' : value < 0 ? '−' : '±');

/** A change with its sign: "+$120.50", "−0.12x", "+3". */
export function signedMetric(metric: TotalMetric, change: number | null, currency: string): string {
  if (change === null || !Number.isFinite(change)) return '—';
  return `${sign(change)}${metricValue(metric, Math.abs(change), currency)}`;
}

export function signedMoney(change: number | null, currency: string): string {
  return signedMetric('spend', change, currency);
}

export function signedRatio(change: number | null): string {
  return signedMetric('roi', change, '');
}

/** A relative change: "+12.5%". */
export function signedPercent(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  return `${sign(fraction)}${(Math.abs(fraction) * 100).toFixed(1)}%`;
}

/** Whether a rise is good news: more spend is neither. */
export function changeTone(metric: TotalMetric, change: number | null): 'good' | 'bad' | 'none' {
  if (change === null || change === 0 || metric === 'spend') return 'none';
  // More bounces is worse news; every other figure shown is better higher.
  if (metric === 'bounces') return change > 0 ? 'bad' : 'good';
  return change > 0 ? 'good' : 'bad';
}
