// What a person's "no" holds back, and for how long. A person who dismisses a suggestion or rolls
// back an action has overruled the engine on that campaign in that direction (pause, scale, post):
// proposing the same thing again at the next cycle would only ask them again (docs/respite.md).
//
// Pure: the caller supplies the person's last decision and the action's evidence now.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The evidence moved materially when the action's probability of being right rose by at least
 * this much (in probability, i.e. 10 percentage points) over what the dismissed suggestion said.
 */
export const MATERIAL_CONFIDENCE_RISE = 0.1;
/** ...or when its expected net value is at least this many times what the dismissed one expected. */
export const MATERIAL_NET_FACTOR = 2;

/**
 * True when `at` lies in (now - hours, now]: a respite of 0 is none. A decision dated after `now`
 * (a replay of a past day) had not been taken yet at `now`, so it holds nothing back.
 */
export function withinRespite(at: Date | null, hours: number, now: Date): boolean {
  if (at === null) return false;
  const age = now.getTime() - at.getTime();
  return age >= 0 && age < hours * HOUR_MS;
}

/** What a dismissed suggestion claimed when a person turned it down. */
export interface DismissedSuggestion {
  at: Date;
  /** The stored probability that the action was right; null on rows that never had one. */
  confidence: number | null;
  /** The stored expected net value in money; null on rows that never had one (posts, old rows). */
  net: number | null;
}

/** What the same action claims now. */
export interface CurrentEvidence {
  confidence: number;
  net: number | null;
}

export type DismissalVerdict =
  /** No dismissal of this action in the respite window: the engine proceeds as usual. */
  | { kind: 'clear' }
  /** Held back until `until`: the person's dismissal stands. */
  | { kind: 'held'; until: Date }
  /** Dismissed within the window, but the evidence has moved enough to ask again. */
  | { kind: 'moved'; dismissed: DismissedSuggestion };

/**
 * A net that was zero or negative cannot "double": only the confidence rule applies then. So
 * does a missing figure on either side (a post has no money value; rows from before values were
 * stored have none).
 */
export function evidenceMoved(dismissed: DismissedSuggestion, now: CurrentEvidence): boolean {
  // The tolerance absorbs floating point: 0.85 - 0.75 is 0.0999...
  const confidenceRose =
    dismissed.confidence !== null && now.confidence - dismissed.confidence >= MATERIAL_CONFIDENCE_RISE - 1e-9;
  const netDoubled =
    dismissed.net !== null && dismissed.net > 0 && now.net !== null && now.net >= MATERIAL_NET_FACTOR * dismissed.net;
  return confidenceRose || netDoubled;
}

export function dismissalVerdict(
  dismissed: DismissedSuggestion | null,
  current: CurrentEvidence,
  respiteDays: number,
  now: Date,
): DismissalVerdict {
  if (dismissed === null || !withinRespite(dismissed.at, respiteDays * 24, now)) return { kind: 'clear' };
  if (evidenceMoved(dismissed, current)) return { kind: 'moved', dismissed };
  return { kind: 'held', until: new Date(dismissed.at.getTime() + respiteDays * DAY_MS) };
}
