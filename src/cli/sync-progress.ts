// A sync's progress on the command line (`nightshift accounts sync`), one report per chunk of days
// stored. On a terminal: one line redrawn in place, with a bar. Elsewhere (CI logs, pipes, files),
// where a carriage return would pile every state onto one unreadable line: one plain line per
// chunk. The sync reports a handful of times (90 days in 10-day chunks), so every report is drawn:
// no throttling, no timer (what cli-progress, the other commands' bar, is built around).
import type { SyncProgress } from '../services/ad-sync.ts';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
}

const BAR_WIDTH = 30;
/** Erases from the cursor to the end of the line: a shorter line leaves nothing of the last. */
const CLEAR_TO_END = '\x1b[K';

/** "40 of 90 days, through 2026-10-12": what a plain line says. */
export function progressText(p: SyncProgress): string {
  return `${p.daysDone} of ${p.daysTotal} days, through ${p.through}`;
}

/** "[############------------------] 40/90 days, through 2026-10-12", at most `columns` wide. */
export function progressBar(p: SyncProgress, columns = 80): string {
  const text = ` ${p.daysDone}/${p.daysTotal} days, through ${p.through}`;
  // The bar gives way on a narrow terminal, so that the line never wraps (a wrapped line is not redrawn).
  const width = Math.max(0, Math.min(BAR_WIDTH, columns - 1 - text.length - 2));
  const filled = p.daysTotal > 0 ? Math.round((width * p.daysDone) / p.daysTotal) : width;
  const bar = width > 0 ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : '';
  return `${bar}${text}`.trimStart();
}

/** Reports to `stream`; `end()` once the sync is over (done or failed), so what follows starts on its own line. */
export function syncProgressReporter(stream: ProgressStream, label: string) {
  let drawn = false;
  return {
    onProgress(p: SyncProgress): void {
      if (stream.isTTY) {
        stream.write(`\r${label}${progressBar(p, (stream.columns ?? 80) - label.length)}${CLEAR_TO_END}`);
        drawn = true;
      } else {
        stream.write(`${label}${progressText(p)}\n`);
      }
    },
    end(): void {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
