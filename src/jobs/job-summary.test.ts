import { describe, expect, it } from 'vitest';
import { whatTheJobDid } from './job-summary.ts';

describe('a job’s result in one line', () => {
  it('names the counts that are not zero and the lists that are not empty, one level deep', () => {
    expect(
      whatTheJobDid({
        cycle_id: '3f0c…',
        actions_taken: 2,
        notifications_sent: 0,
        guardrail_stops: 3,
        campaign_ids: ['a', 'b'],
        errors: [],
        reconciled: { confirmed: 0, unconfirmed: 1, deep: { ignored: 5 } },
      }),
    ).toBe('actions taken 2, guardrail stops 3, campaign ids 2, reconciled unconfirmed 1');
  });

  it('says nothing for a job that did nothing', () => {
    expect(whatTheJobDid({ claims: 0, sent: 0, reconciled: { confirmed: 0 }, render_errors: [] })).toBeUndefined();
    expect(whatTheJobDid({})).toBeUndefined();
  });
});
