// Cron expressions of schedules: five fields (minute precision) or six (seconds first), read in
// the schedule's IANA time zone, so "0 6 * * *" in Europe/Paris is 06:00 Paris time all year.
import { CronExpressionParser } from 'cron-parser';

/** Why `cron` is not a usable expression, or undefined when it is. */
export function cronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return 'expects 5 fields (minute hour day month weekday) or 6 (seconds first)';
  try {
    CronExpressionParser.parse(cron, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The first time strictly after `after` that the expression names. */
export function nextRunAfter(cron: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate();
}
