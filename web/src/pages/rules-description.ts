// A rule's description and its numbers. The default rules say their thresholds in words ("ROI below
// 0.5 after $50 of spend"); when a person edits a number the description states, the description
// follows ("0.5" becomes "0.8"). A description that does not state the rule's thresholds is the
// person's own: it is marked custom and left as written.
import type { RuleDraft } from './rules-model.ts';

/** The numbers of a draft a description may state, by a key that survives an edit. */
function numbersOf(draft: RuleDraft): Map<string, string> {
  const numbers = new Map<string, string>();
  for (const term of draft.terms) numbers.set(`term:${term.key}`, term.threshold);
  numbers.set('min_spend', draft.min_spend);
  numbers.set('min_conversions', draft.min_conversions);
  numbers.set('min_hours_running', draft.min_hours_running);
  if (draft.rule_type === 'scale') {
    numbers.set('multiplier', draft.multiplier);
    numbers.set('max_budget', draft.max_budget);
  }
  return numbers;
}

const NUMBER = /\d+(?:[.,]\d+)*/g;
const amountIn = (text: string) => Number(text.replaceAll(',', ''));
const isNumber = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));

/**
 * The description after the draft went from `before` to `after`: each number that changed and that
 * the description states (and that no unchanged number shares, which would make it ambiguous) is
 * rewritten; anything else is left as the person wrote it.
 */
export function followDescription(description: string, before: RuleDraft, after: RuleDraft): string {
  const was = numbersOf(before);
  const now = numbersOf(after);
  let text = description;
  for (const [key, next] of now) {
    const previous = was.get(key);
    if (previous === undefined || !isNumber(previous) || !isNumber(next) || Number(previous) === Number(next)) continue;
    const shared = [...now].some(
      ([other, value]) => other !== key && isNumber(value) && Number(value) === Number(previous),
    );
    if (shared) continue;
    text = text.replace(NUMBER, (token) => (amountIn(token) === Number(previous) ? next.trim() : token));
  }
  return text;
}

/** Written by hand: it states none of the thresholds the rule's terms compare with. */
export function isCustomDescription(description: string, draft: RuleDraft): boolean {
  if (description.trim() === '') return false;
  const stated = new Set((description.match(NUMBER) ?? []).map(amountIn));
  const thresholds = draft.terms
    .map((t) => t.threshold)
    .filter(isNumber)
    .map(Number);
  return thresholds.length > 0 && !thresholds.some((t) => stated.has(t));
}
