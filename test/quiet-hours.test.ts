// SMS quiet hours in the recipient's zone, on ordinary days and on the days clocks change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextAllowedInstant, recipientZone } from '../src/domain/quiet-hours.ts';

const at = (iso: string) => new Date(iso);
const next = (iso: string, zone: string, window?: { startHour: number; endHour: number }) =>
  nextAllowedInstant(at(iso), zone, window).toISOString();

/** The local hour at an instant, read with Intl independently of the code under test. */
const hourFormats = new Map<string, Intl.DateTimeFormat>();
function localHour(instant: Date, zone: string): number {
  let format = hourFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' });
    hourFormats.set(zone, format);
  }
  return Number(format.formatToParts(instant).find((part) => part.type === 'hour')!.value);
}

describe('nextAllowedInstant', () => {
  it('lets a message go at once between 08:00 and 21:00 local', () => {
    expect(next('2026-06-01T10:00:00.000Z', 'Europe/Berlin')).toBe('2026-06-01T10:00:00.000Z');
    expect(next('2026-06-01T06:00:00.000Z', 'Europe/Berlin')).toBe('2026-06-01T06:00:00.000Z'); // 08:00 sharp
    expect(next('2026-06-01T18:59:59.999Z', 'Europe/Berlin')).toBe('2026-06-01T18:59:59.999Z'); // 20:59:59.999
  });

  it('holds a message at night until 08:00 local, the same morning or the next', () => {
    expect(next('2026-06-01T19:00:00.000Z', 'Europe/Berlin')).toBe('2026-06-02T06:00:00.000Z'); // 21:00 sharp
    expect(next('2026-06-01T23:30:00.000Z', 'Europe/Berlin')).toBe('2026-06-02T06:00:00.000Z'); // 01:30
    expect(next('2026-06-01T03:00:00.000Z', 'America/New_York')).toBe('2026-06-01T12:00:00.000Z'); // 23:00
    expect(next('2026-12-31T23:00:00.000Z', 'UTC')).toBe('2027-01-01T08:00:00.000Z'); // into a new year
  });

  it('keeps to local time across Berlin’s changes (29 March and 25 October 2026)', () => {
    // Saturday 23:00 CET; the clocks go forward at 02:00, so 08:00 CEST is 06:00 UTC, not 07:00.
    expect(next('2026-03-28T22:00:00.000Z', 'Europe/Berlin')).toBe('2026-03-29T06:00:00.000Z');
    // 03:30 CEST, just after the jump.
    expect(next('2026-03-29T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-03-29T06:00:00.000Z');
    // Saturday 22:00 CEST; the clocks go back at 03:00, so 08:00 CET is 07:00 UTC.
    expect(next('2026-10-24T20:00:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T07:00:00.000Z');
    // 02:30 twice: first CEST (00:30 UTC), then CET (01:30 UTC); both wait for 08:00 CET.
    expect(next('2026-10-25T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T07:00:00.000Z');
    expect(next('2026-10-25T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T07:00:00.000Z');
  });

  it('keeps to local time across New York’s changes (8 March and 1 November 2026)', () => {
    expect(next('2026-03-08T03:00:00.000Z', 'America/New_York')).toBe('2026-03-08T12:00:00.000Z'); // 22:00 EST
    expect(next('2026-03-08T07:30:00.000Z', 'America/New_York')).toBe('2026-03-08T12:00:00.000Z'); // 03:30 EDT
    expect(next('2026-11-01T02:00:00.000Z', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z'); // 22:00 EDT
    expect(next('2026-11-01T05:30:00.000Z', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z'); // 01:30 EDT
    expect(next('2026-11-01T06:30:00.000Z', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z'); // 01:30 EST
    // 20:30 EST on the evening of the change is still allowed.
    expect(next('2026-11-02T01:30:00.000Z', 'America/New_York')).toBe('2026-11-02T01:30:00.000Z');
  });

  it('handles offsets that are not whole hours: Kathmandu (+05:45), St John’s (−03:30)', () => {
    expect(next('2026-06-01T15:14:00.000Z', 'Asia/Kathmandu')).toBe('2026-06-01T15:14:00.000Z'); // 20:59
    expect(next('2026-06-01T15:15:00.000Z', 'Asia/Kathmandu')).toBe('2026-06-02T02:15:00.000Z'); // 21:00
    expect(next('2026-06-01T20:00:00.000Z', 'Asia/Kathmandu')).toBe('2026-06-02T02:15:00.000Z'); // 01:45
    expect(next('2026-01-10T02:00:00.000Z', 'America/St_Johns')).toBe('2026-01-10T11:30:00.000Z'); // 22:30 NST
  });

  it('ends quiet time when the clock jumps past an hour that does not exist that day', () => {
    // A window ending at 02:00 on the day 02:00 is skipped: sending resumes at the jump, 03:00 CEST.
    const night = { startHour: 0, endHour: 2 };
    expect(next('2026-03-28T23:30:00.000Z', 'Europe/Berlin', night)).toBe('2026-03-29T01:00:00.000Z');
    // On the day 02:00 happens twice, the first one.
    expect(next('2026-10-24T23:00:00.000Z', 'Europe/Berlin', night)).toBe('2026-10-25T00:00:00.000Z');
    // Lord Howe moves its clocks by half an hour at 02:00 (to 02:30) on 4 October 2026.
    expect(next('2026-10-03T15:10:00.000Z', 'Australia/Lord_Howe', night)).toBe('2026-10-03T15:30:00.000Z');
    // Allowed only 02:00-03:00, on the day St John's jumps from 02:00 to 03:00 (8 March 2026): that
    // day has no allowed time, so the next day's 02:00 (found by the property below, seed 1425850354).
    expect(next('2026-03-07T06:30:00.000Z', 'America/St_Johns', { startHour: 3, endHour: 2 })).toBe(
      '2026-03-09T04:30:00.000Z',
    );
  });

  it('takes other windows: within a day, or none at all', () => {
    const lunch = { startHour: 12, endHour: 14 };
    expect(next('2026-06-01T10:30:00.000Z', 'Europe/Berlin', lunch)).toBe('2026-06-01T12:00:00.000Z');
    expect(next('2026-06-01T12:30:00.000Z', 'Europe/Berlin', lunch)).toBe('2026-06-01T12:30:00.000Z');
    expect(next('2026-06-01T23:00:00.000Z', 'Europe/Berlin', { startHour: 8, endHour: 8 })).toBe(
      '2026-06-01T23:00:00.000Z',
    );
    expect(() => nextAllowedInstant(new Date(), 'UTC', { startHour: 21, endHour: 24 })).toThrow(RangeError);
    expect(() => nextAllowedInstant(new Date(), 'UTC', { startHour: 20.5, endHour: 8 })).toThrow(RangeError);
  });

  it('always answers the first allowed instant at or after now, in any zone', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'America/St_Johns',
      'America/Santiago',
      'Pacific/Kiritimati',
      'UTC',
    ];
    const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) });
    const hour = fc.integer({ min: 0, max: 23 });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), hour, hour, (ms, zone, startHour, endHour) => {
        const window = { startHour, endHour };
        const quiet = (t: Date) => {
          const h = localHour(t, zone);
          if (startHour === endHour) return false;
          return startHour < endHour ? h >= startHour && h < endHour : h >= startHour || h < endHour;
        };
        const now = new Date(ms);
        const result = nextAllowedInstant(now, zone, window);
        expect(quiet(result)).toBe(false);
        if (result.getTime() === now.getTime()) return;
        expect(result.getTime()).toBeGreaterThan(now.getTime());
        // Quiet all the way up to it: every quarter hour since now, and the millisecond before.
        for (let t = now.getTime(); t < result.getTime(); t += 15 * 60_000) expect(quiet(new Date(t))).toBe(true);
        expect(quiet(new Date(result.getTime() - 1))).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('recipientZone', () => {
  it("uses the contact's zone when it is a valid one, else the tenant's", () => {
    expect(recipientZone('Asia/Kathmandu', 'Europe/Berlin')).toBe('Asia/Kathmandu');
    for (const missing of [null, undefined, '', 'Mars/Olympus', '+05:45']) {
      expect(recipientZone(missing, 'Europe/Berlin')).toBe('Europe/Berlin');
    }
  });
});
