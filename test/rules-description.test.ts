// The Rules form's description following its numbers (web/src/pages/rules-description.ts): an
// edited threshold the description states is rewritten in it, an ambiguous one is left, and a
// description that states none of the thresholds is custom.
import { describe, expect, it } from 'vitest';
import { followDescription, isCustomDescription } from '../web/src/pages/rules-description.ts';
import { emptyDraft, type RuleDraft } from '../web/src/pages/rules-model.ts';

const draft = (thresholds: string[], more: Partial<RuleDraft> = {}): RuleDraft => {
  const base = emptyDraft();
  return { ...base, terms: thresholds.map((threshold, i) => ({ ...base.terms[0]!, key: i + 1, threshold })), ...more };
};

describe('a rule description that follows its numbers', () => {
  it('rewrites each edited number the description states, however it was written', () => {
    const before = draft(['0.5'], { min_spend: '50' });
    const text = 'ROI below 0.5 after $50 of spend: pause at once.';
    expect(followDescription(text, before, draft(['0.8'], { min_spend: '50' }))).toBe(
      'ROI below 0.8 after $50 of spend: pause at once.',
    );
    expect(followDescription(text, before, draft(['0.5'], { min_spend: '1000' }))).toBe(
      'ROI below 0.5 after $1000 of spend: pause at once.',
    );
    // "1.0" states the threshold 1.
    expect(followDescription('ROI below 1.0', draft(['1']), draft(['1.2']))).toBe('ROI below 1.2');
  });

  it('leaves a number another unchanged field shares, a half-typed number, and an unchanged draft', () => {
    const text = 'ROI below 1.0 over 48 hours and over its lifetime';
    expect(followDescription(text, draft(['1', '1']), draft(['0.9', '1']))).toBe(text);
    expect(followDescription(text, draft(['1']), draft(['']))).toBe(text);
    expect(followDescription(text, draft(['1']), draft(['1']))).toBe(text);
  });

  it('calls a description custom when it states none of the thresholds', () => {
    expect(isCustomDescription('Flags expensive traffic.', draft(['5']))).toBe(true);
    expect(isCustomDescription('CPC above 5: a look.', draft(['5']))).toBe(false);
    expect(isCustomDescription('', draft(['5']))).toBe(false);
  });
});
