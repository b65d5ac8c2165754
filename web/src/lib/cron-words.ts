// A schedule's cron expression in words ("every hour", "Mondays 09:00 UTC"), for the forms the
// schedules use: every minute or every N minutes; every hour at a minute, or every N hours; a time
// of day on every day, on some weekdays, or on a day of the month. Anything else (ranges of
// minutes, months, several times a day) gives null and the page shows the expression itself.

const WEEKDAYS = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];

const whole = (field: string) => (/^\d+$/.test(field) ? Number(field) : undefined);
/** "*∕N" → N. */
const step = (field: string) => (/^\*\/\d+$/.test(field) ? Number(field.slice(2)) : undefined);
const twoDigits = (n: number) => String(n).padStart(2, '0');

/** "1", "1,3,5", "1-5" (0 and 7 are Sunday) → the days in words; undefined for another form. */
function weekdays(field: string): string | undefined {
  const day = (text: string) => {
    const n = whole(text);
    return n !== undefined && n <= 7 ? n % 7 : undefined;
  };
  const range = /^(\d)-(\d)$/.exec(field);
  if (range) {
    const [from, to] = [day(range[1]!), day(range[2]!)];
    if (from === undefined || to === undefined || from >= to) return undefined;
    if (from === 1 && to === 5) return 'Weekdays';
    return `${WEEKDAYS[from]} to ${WEEKDAYS[to]}`;
  }
  const days = field.split(',').map(day);
  if (days.some((d) => d === undefined)) return undefined;
  const names = (days as number[]).map((d) => WEEKDAYS[d]!);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function cronInWords(cron: string, timezone: string): string | null {
  const fields = cron.trim().split(/\s+/);
  // Six fields: seconds first; only a schedule on the whole minute reads the same.
  if (fields.length === 6) {
    if (fields[0] !== '0') return null;
    fields.shift();
  }
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, weekday] = fields as [string, string, string, string, string];
  if (month !== '*') return null;
  const everyDay = dayOfMonth === '*' && weekday === '*';

  if (hour === '*' && everyDay) {
    if (minute === '*') return 'every minute';
    const minutes = step(minute);
    if (minutes !== undefined) return minutes === 1 ? 'every minute' : `every ${minutes} minutes`;
    const at = whole(minute);
    if (at !== undefined && at < 60) return at === 0 ? 'every hour' : `every hour at :${twoDigits(at)}`;
    return null;
  }
  const hours = step(hour);
  if (hours !== undefined && everyDay && whole(minute) !== undefined) {
    const at = whole(minute)!;
    const every = hours === 1 ? 'every hour' : `every ${hours} hours`;
    return at === 0 ? every : `${every} at :${twoDigits(at)}`;
  }

  const [h, m] = [whole(hour), whole(minute)];
  if (h === undefined || m === undefined || h > 23 || m > 59) return null;
  const time = `${twoDigits(h)}:${twoDigits(m)} ${timezone}`;
  if (everyDay) return `every day ${time}`;
  if (dayOfMonth === '*') {
    const days = weekdays(weekday);
    return days ? `${days} ${time}` : null;
  }
  const date = whole(dayOfMonth);
  if (weekday === '*' && date !== undefined && date >= 1 && date <= 31) return `day ${date} of each month ${time}`;
  return null;
}
