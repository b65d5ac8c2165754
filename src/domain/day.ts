/** One day in milliseconds: the span of every UTC calendar day the engine and the loop count in. */
export const DAY_MS = 86_400_000;

// Days as YYYY-MM-DD: arithmetic in UTC, where every day is 24 hours (whatever zone they are days of).
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

export const addDays = (day: string, days: number) =>
  new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);

/** Days from `from` to `to`, both included. */
export const daysFrom = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;
