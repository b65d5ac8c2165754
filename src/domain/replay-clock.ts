// The clock of a replayed cycle (docs/replay.md): the instant a person asks the engine to judge
// as of, from the CLI's --as-of or the API's as_of. One parser for both, so they accept and refuse
// the same things with the same words.
//
// Accepted: an ISO 8601 timestamp with its offset (2026-11-20T23:00:00Z, ...+01:00), or a bare
// UTC day (2026-11-20), which means the end of that day: the last cycle of the day saw all of the
// day that had been reported by then. A timestamp without an offset is refused rather than read in
// the server's time zone, which the person may not know. The instant may not be in the future: a
// replay reads the past as it was, and the future has not been reported.

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// Date.parse alone accepts far more (e.g. "1", "Nov 20"); the shape comes first.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_END_MS = 24 * 3_600_000 - 1;

export type ReplayClock = { ok: true; asOf: Date } | { ok: false; message: string };

export function parseReplayClock(input: string, now: Date): ReplayClock {
  const text = input.trim();
  const asOf = DAY.test(text)
    ? new Date(Date.parse(`${text}T00:00:00Z`) + DAY_END_MS)
    : TIMESTAMP.test(text)
      ? new Date(text)
      : undefined;
  // new Date() rolls impossible days over (Feb 30 -> Mar 2); the round trip catches them.
  const day = text.slice(0, 10);
  if (!asOf || Number.isNaN(asOf.getTime()) || !sameCalendarDay(day, text, asOf))
    return {
      ok: false,
      message: `expects a timestamp with its offset (2026-11-20T23:00:00Z) or a UTC day (2026-11-20), got ${JSON.stringify(input)}`,
    };
  // A bare day that is today is its end, still to come: today up to now is what it means.
  if (DAY.test(text) && asOf > now && day === now.toISOString().slice(0, 10)) return { ok: true, asOf: now };
  if (asOf > now)
    return { ok: false, message: `is in the future (${asOf.toISOString()}); a replay judges the past as it was` };
  return { ok: true, asOf };
}

/** The calendar day written in the input exists (checked in the input's own offset). */
function sameCalendarDay(day: string, text: string, asOf: Date): boolean {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
  const shiftMs = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
  const local = DAY.test(text) ? new Date(asOf.getTime() - DAY_END_MS) : new Date(asOf.getTime() + shiftMs);
  return local.toISOString().slice(0, 10) === day;
}
