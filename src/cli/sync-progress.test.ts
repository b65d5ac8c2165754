// What a person sees of a sync's progress: a bar redrawn in place on a terminal, plain lines in a
// log, and a line of its own for whatever is printed after.
import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '../services/ad-sync.ts';
import { type ProgressStream, progressBar, syncProgressReporter } from './sync-progress.ts';

const at = (daysDone: number, through: string): SyncProgress => ({
  from: '2026-07-15',
  to: '2026-10-12',
  through,
  daysDone,
  daysTotal: 90,
});

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

describe('a sync’s progress on the command line', () => {
  it('redraws one line with a bar on a terminal, and ends it before what follows', () => {
    const tty = stream(true, 100);
    const progress = syncProgressReporter(tty, 'Meta account 8880001: ');
    progress.onProgress(at(10, '2026-07-24'));
    progress.onProgress(at(40, '2026-08-23'));
    progress.onProgress(at(90, '2026-10-12'));
    progress.end();
    expect(tty.text.split('\r')).toEqual([
      '',
      `Meta account 8880001: [###---------------------------] 10/90 days, through 2026-07-24\x1b[K`,
      `Meta account 8880001: [#############-----------------] 40/90 days, through 2026-08-23\x1b[K`,
      `Meta account 8880001: [##############################] 90/90 days, through 2026-10-12\x1b[K\n`,
    ]);
  });

  it('writes one plain line per chunk where there is no terminal (a CI log, a pipe)', () => {
    const log = stream(false);
    const progress = syncProgressReporter(log, 'Meta account 8880001: ');
    progress.onProgress(at(10, '2026-07-24'));
    progress.onProgress(at(20, '2026-08-03'));
    progress.end();
    expect(log.text).toBe(
      'Meta account 8880001: 10 of 90 days, through 2026-07-24\n' +
        'Meta account 8880001: 20 of 90 days, through 2026-08-03\n',
    );
  });

  it('adds nothing when the sync ended before its first chunk', () => {
    const tty = stream(true);
    syncProgressReporter(tty, '').end();
    expect(tty.text).toBe('');
  });

  it('narrows the bar to fit the terminal, and drops it rather than wrap the line', () => {
    const line = progressBar(at(45, '2026-08-28'), 60);
    expect(line).toBe('[#############-------------] 45/90 days, through 2026-08-28');
    expect(line.length).toBeLessThan(60);
    expect(progressBar(at(45, '2026-08-28'), 30)).toBe('45/90 days, through 2026-08-28');
  });
});
