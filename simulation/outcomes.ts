// What a policy's month was worth: the figures issue 22 sets targets on.
import type { Market, RecordedAction } from './market.ts';

export const STAR_ROI = 3;

export interface Outcome {
  pauses: number;
  /** Share of executed pauses whose campaign truly lost money (ROI < 1) that day. */
  pausePrecision: number;
  /** Share of the portfolio's stars (true base ROI >= 3) paused while still a star. */
  starsPaused: number;
  stars: number;
  scales: number;
  scalePrecision: number;
  suggestions: number;
  resumes: number;
  /** Profit in truth over the month (expected revenue - spend). */
  profit: number;
}

export function outcomeOf(market: Market): Outcome {
  const executed = market.actions.filter((a) => a.mode === 'execute');
  const pauses = executed.filter((a) => a.kind === 'pause');
  const scales = executed.filter((a) => a.kind === 'scale');
  const stars = market.campaigns.filter((c) => c.baseRoi >= STAR_ROI && c.launchDay <= market.options.lastDay);
  const starsPaused = new Set(pauses.filter((a) => a.trueRoi >= STAR_ROI).map((a) => a.campaign));
  return {
    pauses: pauses.length,
    pausePrecision: share(pauses, (a) => a.right),
    starsPaused: stars.length > 0 ? starsPaused.size / stars.length : 0,
    stars: stars.length,
    scales: scales.length,
    scalePrecision: share(scales, (a) => a.right),
    suggestions: market.actions.filter((a) => a.mode === 'suggest').length,
    resumes: executed.filter((a) => a.kind === 'resume').length,
    profit: market.profit,
  };
}

function share<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.length > 0 ? items.filter(test).length / items.length : Number.NaN;
}

export interface CalibrationBin {
  from: number;
  to: number;
  actions: number;
  meanConfidence: number;
  right: number;
  /** Observed share right minus mean stored confidence, in points. */
  offPoints: number;
}

/** Bin edges: deciles from 0.5 (a policy acts only when it is more likely right than wrong), finer at the top. */
export const BIN_EDGES = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.000_001];

/** Stored confidences of every action (executed or suggested), binned, against how often each was right. */
export function calibration(actions: readonly RecordedAction[]): CalibrationBin[] {
  const bins: CalibrationBin[] = [];
  for (let i = 0; i < BIN_EDGES.length - 1; i++) {
    const from = BIN_EDGES[i]!;
    const to = BIN_EDGES[i + 1]!;
    const inBin = actions.filter((a) => a.confidence !== null && a.confidence >= from && a.confidence < to);
    if (inBin.length === 0) continue;
    const meanConfidence = inBin.reduce((sum, a) => sum + (a.confidence ?? 0), 0) / inBin.length;
    const right = inBin.filter((a) => a.right).length / inBin.length;
    bins.push({ from, to, actions: inBin.length, meanConfidence, right, offPoints: (right - meanConfidence) * 100 });
  }
  return bins;
}
