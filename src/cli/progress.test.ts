// What a person sees of long work's progress: a bar with the count and rate redrawn in place on a
// terminal, an occasional plain line in a log, and a line of its own for whatever is printed after.
import { describe, expect, it } from 'vitest';
import { plural } from './plural.ts';
import { type ProgressStream, progressBar, progressReporter } from './progress.ts';

function stream(tty: boolean, columns?: number): ProgressStream & { text: string } {
  const out = {
    text: '',
    isTTY: tty,
    ...(columns !== undefined ? { columns } : {}),
    write(chunk: string) {
      out.text += chunk;
      return true;
    },
  };
  return out;
}

/** A clock the test moves: `clock.at = ms`. */
function clock() {
  const c = { at: 0, now: () => c.at };
  return c;
}

describe('progress on the command line', () => {
  it('redraws one line with a bar, the count and the rate on a terminal, and ends it before what follows', () => {
    const tty = stream(true, 100);
    const time = clock();
    const progress = progressReporter(tty, { label: 'Meta account 8880001: ', unit: 'day', now: time.now });
    time.at = 1000;
    progress.update(10, 90, 'through 2026-07-24');
    time.at = 4000;
    progress.update(40, 90, 'through 2026-08-23');
    time.at = 6000;
    progress.update(90, 90, 'through 2026-10-12');
    progress.end();
    expect(tty.text.split('\r')).toEqual([
      '',
      'Meta account 8880001: [###---------------------------] 10/90 days, 10 days/s, through 2026-07-24\x1b[K',
      'Meta account 8880001: [#############-----------------] 40/90 days, 10 days/s, through 2026-08-23\x1b[K',
      'Meta account 8880001: [##############################] 90/90 days, 15 days/s, through 2026-10-12\x1b[K\n',
    ]);
  });

  it('redraws a terminal at most ten times a second, but always draws the end', () => {
    const tty = stream(true, 100);
    const time = clock();
    const progress = progressReporter(tty, { label: '', unit: 'campaign', now: time.now });
    for (let done = 1; done <= 1000; done++) {
      time.at = done; // a thousand reports in one second
      progress.update(done, 1000);
    }
    expect(tty.text.split('\r').length - 1).toBe(11);
    expect(tty.text.endsWith('1000/1000 campaigns, 1000 campaigns/s\x1b[K')).toBe(true);
  });

  it('writes a plain line at each tenth of the work where there is no terminal (a CI log, a pipe)', () => {
    const log = stream(false);
    const time = clock();
    const progress = progressReporter(log, { label: 'demo: ', unit: 'campaign', now: time.now });
    for (let done = 100; done <= 1000; done += 25) progress.update(done, 1000);
    progress.end();
    expect(log.text.split('\n')).toEqual([
      'demo: 100 of 1000 campaigns',
      'demo: 200 of 1000 campaigns',
      'demo: 300 of 1000 campaigns',
      'demo: 400 of 1000 campaigns',
      'demo: 500 of 1000 campaigns',
      'demo: 600 of 1000 campaigns',
      'demo: 700 of 1000 campaigns',
      'demo: 800 of 1000 campaigns',
      'demo: 900 of 1000 campaigns',
      'demo: 1000 of 1000 campaigns',
      '',
    ]);
  });

  it('writes a plain line every half minute when a tenth takes longer, and one when the total changes', () => {
    const log = stream(false);
    const time = clock();
    const progress = progressReporter(log, { label: '', unit: 'recipient', now: time.now });
    progress.update(1, 1000);
    time.at = 29_000;
    progress.update(2, 1000);
    time.at = 31_000;
    progress.update(3, 1000);
    progress.update(1, 10);
    progress.update(1, 1);
    expect(log.text).toBe('1 of 1000 recipients\n3 of 1000 recipients\n1 of 10 recipients\n1 of 1 recipient\n');
  });

  it('draws the bar on a terminal that does not say its width', () => {
    const unsized = stream(true, 0);
    progressReporter(unsized, { label: '', unit: 'day', now: () => 0 }).update(5, 10);
    expect(unsized.text).toBe('\r[###############---------------] 5/10 days, 0.0 days/s\x1b[K');
  });

  it('adds nothing when the work ended before its first report', () => {
    const tty = stream(true);
    progressReporter(tty, { label: '', unit: 'day' }).end();
    expect(tty.text).toBe('');
  });

  it('narrows the bar to fit the terminal, and drops it rather than wrap the line', () => {
    const line = progressBar(45, 90, '90 days, through 2026-08-28', 60);
    expect(line).toBe('[#############-------------] 45/90 days, through 2026-08-28');
    expect(line.length).toBeLessThan(60);
    expect(progressBar(45, 90, '90 days, through 2026-08-28', 30)).toBe('45/90 days, through 2026-08-28');
  });
});

describe('counts in sentences', () => {
  it('agree with their noun', () => {
    expect(plural(1, 'opportunity', 'opportunities')).toBe('1 opportunity');
    expect(plural(0, 'opportunity', 'opportunities')).toBe('0 opportunities');
    expect(plural(2, 'tenant')).toBe('2 tenants');
    expect(plural(1, 'tenant')).toBe('1 tenant');
  });
});
