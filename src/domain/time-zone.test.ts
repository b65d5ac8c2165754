import { describe, expect, it } from 'vitest';
import { isTimeZone } from './time-zone.ts';

describe('isTimeZone', () => {
  it.each(['Europe/Paris', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires', 'America/Port-au-Prince', 'EST5EDT'])(
    'takes the zone name %s',
    (name) => expect(isTimeZone(name)).toBe(true),
  );

  it.each(['Mars/Olympus', '', ' UTC', 'Europe/Paris/', '+01:00', '-0530', 'Z'])('refuses %j', (name) =>
    expect(isTimeZone(name)).toBe(false),
  );
});
