// Long work's progress on the command line (demo, backtest, loop, sync, run-automation, contact
// imports), on stderr so that stdout keeps the outcome alone. On a terminal: one line redrawn in
// place, a bar with the count, the total and the rate. Elsewhere (CI logs, pipes, files), where a
// carriage return would pile every state onto one unreadable line: an occasional plain line, at
// each tenth of the work or every half minute, so that a log shows the work moving without
// a line per item.
import { plural } from './plural.ts';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
}

export interface ProgressOptions {
  /** Printed before every state, e.g. "Meta account 8880001: ". */
  label: string;
  /** What is counted, one of it: "day", "campaign". */
  unit: string;
  /** Its plural where English adds more than an s. */
  units?: string;
  /** A clock in milliseconds (tests pass their own). */
  now?: () => number;
}

const BAR_WIDTH = 30;
/** Erases from the cursor to the end of the line: a shorter line leaves nothing of the last. */
const CLEAR_TO_END = '\x1b[K';
/** A terminal is redrawn at most this often: a fast loop reports thousands of times a second. */
const REDRAW_MS = 100;
/** A plain line is written when this share of the work is done since the last one... */
const LINE_STEP = 0.1;
/** ...or this long after it, whichever comes first. */
const LINE_MS = 30_000;

/**
 * "[############------------------] 40/90 days, 12 days/s, through 2026-10-12", at most `columns`
 * wide; `text` is what follows the count of what is done ("90 days, 12 days/s, …").
 */
export function progressBar(done: number, total: number, text: string, columns = 80): string {
  const counts = ` ${done}/${text}`;
  // The bar gives way on a narrow terminal, so that the line never wraps (a wrapped line is not redrawn).
  const width = Math.max(0, Math.min(BAR_WIDTH, columns - 1 - counts.length - 2));
  const filled = total > 0 ? Math.round((width * Math.min(done, total)) / total) : width;
  const bar = width > 0 ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : '';
  return `${bar}${counts}`.trimStart();
}

/** "12 days/s": whole numbers from 10 up, one decimal below. */
export function rateText(done: number, ms: number, units: string): string {
  const perSecond = ms > 0 ? (done * 1000) / ms : 0;
  return `${perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)} ${units}/s`;
}

export type ProgressReporter = ReturnType<typeof progressReporter>;

/**
 * Reports to `stream`: `update` whenever some is done (the total may change between calls, e.g.
 * one campaign's audience after another's), `end()` once the work is over, done or failed, so that
 * what follows starts on a line of its own.
 */
export function progressReporter(stream: ProgressStream, options: ProgressOptions) {
  const { label, unit, units = `${unit}s`, now = () => performance.now() } = options;
  const started = now();
  let drawn = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastLine = { at: started, done: 0, total: 0 };
  return {
    update(done: number, total: number, detail?: string): void {
      const at = now();
      const finished = done >= total;
      const extra = detail ? `, ${detail}` : '';
      const ofTotal = plural(total, unit, units);
      if (stream.isTTY) {
        if (!finished && at - lastDraw < REDRAW_MS) return;
        const text = `${ofTotal}, ${rateText(done, at - started, units)}${extra}`;
        // A terminal whose size is unknown (a pty nobody sized) says 0 columns: taken as 80.
        const columns = (stream.columns || 80) - label.length;
        stream.write(`\r${label}${progressBar(done, total, text, columns)}${CLEAR_TO_END}`);
        drawn = true;
        lastDraw = at;
        return;
      }
      const step = total !== lastLine.total ? total : done - lastLine.done;
      if (!finished && step < total * LINE_STEP && at - lastLine.at < LINE_MS) return;
      stream.write(`${label}${done} of ${ofTotal}${extra}\n`);
      lastLine = { at, done, total };
    },
    end(): void {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
