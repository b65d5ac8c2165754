// When an SMS may go out: not at night in the recipient's own time zone. The default window is
// 21:00-08:00 local: the US TCPA (47 CFR 64.1200(c)(1)) allows telephone solicitations only from
// 8 am to 9 pm at the called party's location, and several states and countries are stricter on
// weekends, which a tenant can configure with a wider window.
import { isTimeZone } from './time-zone.ts';

export interface QuietWindow {
  /** The local hour quiet time begins (0-23). */
  startHour: number;
  /** The local hour sending may resume (0-23). Before startHour: the window spans midnight. */
  endHour: number;
}

export const DEFAULT_QUIET_WINDOW: QuietWindow = { startHour: 21, endHour: 8 };

/** The zone quiet hours are judged in: the contact's own, or the tenant's when it has none valid. */
export function recipientZone(contactZone: string | null | undefined, tenantZone: string): string {
  return contactZone && isTimeZone(contactZone) ? contactZone : tenantZone;
}

/**
 * `now` when it is outside the quiet window in `zone`, else the first instant after it at which
 * the local clock reads endHour:00, across daylight-saving changes: if that wall time is skipped
 * (a spring-forward gap), the instant the clock jumps past it; if it occurs twice (fall back),
 * the first.
 */
export function nextAllowedInstant(now: Date, zone: string, window: QuietWindow = DEFAULT_QUIET_WINDOW): Date {
  const { startHour, endHour } = window;
  for (const hour of [startHour, endHour]) {
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError('quiet hours are whole hours 0-23');
  }
  const local = wallClock(now.getTime(), zone);
  if (!isQuiet(local.hour, window)) return now;
  // The quiet time ends today, or tomorrow when it started this evening and spans midnight.
  const day = startHour > endHour && local.hour >= startHour ? 1 : 0;
  let wall = Date.UTC(local.year, local.month - 1, local.day + day, endHour);
  // A spring-forward gap can swallow a day's whole allowed time (a one-hour window at the hour the
  // clock jumps, as in St. John's at 02:00): the instant past the gap is quiet again, so the next
  // day's endHour is the first allowed instant. A gap is never longer than a day.
  for (let tries = 0; tries < 2; tries++) {
    const instant = instantOf(wall, zone);
    if (!isQuiet(wallClock(instant, zone).hour, window)) return new Date(instant);
    wall += 86_400_000;
  }
  return new Date(instantOf(wall, zone));
}

function isQuiet(hour: number, { startHour, endHour }: QuietWindow): boolean {
  if (startHour === endHour) return false;
  return startHour < endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let dateTime = formats.get(zone);
  if (!dateTime) {
    dateTime = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, dateTime);
  }
  return dateTime;
}

function parts(epochMs: number, zone: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const part of format(zone).formatToParts(epochMs)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return values;
}

function wallClock(epochMs: number, zone: string): WallClock {
  const { year, month, day, hour } = parts(epochMs, zone);
  return { year: year!, month: month!, day: day!, hour: hour! };
}

/** The zone's offset from UTC at an instant, in ms (local wall time as if UTC, minus the instant). */
function offsetAt(epochMs: number, zone: string): number {
  const p = parts(epochMs, zone);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/**
 * The first instant whose local wall time is `wall` (given as if it were UTC), or, when the zone
 * skips it, the instant the clock jumps over it. Offsets a day before and a day after bracket any
 * change near it (no zone changes its offset twice in two days).
 */
function instantOf(wall: number, zone: string): number {
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  const candidates = [wall - before, wall - after].filter((t) => offsetAt(t, zone) === wall - t).sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // A gap: the wall time never shows. Before the jump the offset is `before`; find the first
  // millisecond with `after`, between the two readings of the wall time.
  let low = wall - after;
  let high = wall - before;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, zone) === after) high = middle;
    else low = middle;
  }
  return high;
}
