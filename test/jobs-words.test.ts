// The Jobs tab's words: every cron form the installed schedules use, and the forms an operator is
// likely to set, read as a person says them (anything else falls back to the expression); a job
// run's result as lines instead of JSON.
import { describe, expect, it } from 'vitest';
import { cronInWords } from '../web/src/lib/cron-words.ts';
import { resultLines } from '../web/src/lib/job-result.ts';

describe('cron in words', () => {
  it.each([
    // The installed schedules (sql/migrations: 0015, 0018, 0031, 0035).
    ['* * * * *', 'every minute'],
    ['0 * * * *', 'every hour'],
    ['50 * * * *', 'every hour at :50'],
    ['30 5 * * *', 'every day 05:30 UTC'],
    ['0 6 * * *', 'every day 06:00 UTC'],
    ['0 9 * * 1', 'Mondays 09:00 UTC'],
    // What an operator may set.
    ['*/5 * * * *', 'every 5 minutes'],
    ['0 */2 * * *', 'every 2 hours'],
    ['15 */6 * * *', 'every 6 hours at :15'],
    ['0 8 * * 1-5', 'Weekdays 08:00 UTC'],
    ['0 8 * * 2-4', 'Tuesdays to Thursdays 08:00 UTC'],
    ['0 18 * * 1,3,5', 'Mondays, Wednesdays and Fridays 18:00 UTC'],
    ['0 7 * * 0', 'Sundays 07:00 UTC'],
    ['0 7 * * 7', 'Sundays 07:00 UTC'],
    ['0 3 1 * *', 'day 1 of each month 03:00 UTC'],
    ['0 0 9 * * 1', 'Mondays 09:00 UTC'],
  ])('%s → %s', (cron, words) => {
    expect(cronInWords(cron, 'UTC')).toBe(words);
  });

  it('names the schedule’s own time zone', () => {
    expect(cronInWords('0 9 * * 1', 'Europe/Berlin')).toBe('Mondays 09:00 Europe/Berlin');
  });

  it.each([
    '0 9 1 1 *', // a month
    '0-30 * * * *', // a range of minutes
    '0 9,17 * * *', // several times a day
    '30 0 9 * * 1', // seconds other than 0
    '0 25 * * *', // no such hour
    '0 9 * * 5-1', // a backwards range
    '0 9 1 * 1', // a day of the month and a weekday
    'every hour',
  ])('%s → null (the page shows the expression)', (cron) => {
    expect(cronInWords(cron, 'UTC')).toBeNull();
  });
});

describe('a job run’s result as lines', () => {
  it('names each field in words, formats numbers, counts ids and shortens an id', () => {
    const lines = resultLines({
      cycle_id: '0b6f3c1e-1111-4222-8333-944445555666',
      actions_taken: 1234,
      campaign_ids: ['a', 'b', 'c'],
      dryRun: false,
      errors: [],
      note: null,
    });
    expect(lines).toEqual([
      { label: 'Cycle', value: '0b6f3c1e' },
      { label: 'Actions taken', value: new Intl.NumberFormat().format(1234) },
      { label: 'Campaigns', value: '3' },
      { label: 'Dry run', value: 'no' },
      { label: 'Errors', value: 'none' },
      { label: 'Note', value: '—' },
    ]);
  });

  it('lists findings one a line without their ids, at most five and how many more', () => {
    const schedules = Array.from({ length: 7 }, (_, i) => ({
      schedule_id: `id-${i}`,
      outcome: 'skipped',
      reason: `reason ${i}`,
    }));
    const [line] = resultLines({ schedules });
    expect(line).toMatchObject({ label: 'Schedules', value: '7' });
    expect(line!.details).toEqual([
      'outcome skipped, reason reason 0',
      'outcome skipped, reason reason 1',
      'outcome skipped, reason reason 2',
      'outcome skipped, reason reason 3',
      'outcome skipped, reason reason 4',
      'and 2 more',
    ]);
    expect(resultLines({ outcomes: { sent: 3, failed: 1 } })).toEqual([
      { label: 'Outcomes', value: 'sent 3, failed 1' },
    ]);
  });
});
