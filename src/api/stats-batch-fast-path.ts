// The hot path of stats ingestion: a 10,000-row batch through zod costs ~50 ms of the server's one
// thread, more than parsing its JSON. A batch that is plainly well formed is accepted here in a
// fifth of that, by the same rules, and its rows are the parsed objects themselves (no copies); anything else (a doubtful value, an unknown field, a repeated
// key) is left to the zod schema, which stays the one that documents the body and names the errors.
// So this may refuse what zod accepts (that batch just takes the slow path), never the reverse.
import { z } from 'zod';
import { isMoney, REPORTED_METRICS, type StatRow } from '../domain/metrics.ts';

const UUID = z.regexes.uuid();
const DATE = z.regexes.date;
const CHANNEL = /^[a-z][a-z0-9_]{0,31}$/;
const ROW_KEYS: ReadonlySet<string> = new Set(['campaign_id', 'stat_date', 'channel', ...REPORTED_METRICS]);

const isCount = (value: unknown) => value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);

/**
 * Below 10^12 and the double nearest to a whole number of cents (so it prints with at most two
 * decimals): within numeric(14, 2), and a multiple of 0.01 to the schema's check.
 */
const isAmount = (value: unknown) =>
  value === undefined ||
  (typeof value === 'number' && value >= 0 && value < 1e12 && Math.round(value * 100) / 100 === value);

const COUNT_COLUMNS = REPORTED_METRICS.filter((column) => !isMoney(column));
const MONEY_COLUMNS = REPORTED_METRICS.filter(isMoney);

/** Checks a row of the parsed body and fills its missing metrics with 0, in place. */
function row(value: unknown, dates: { first: string; last: string }): StatRow | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  for (const key in r) if (!ROW_KEYS.has(key)) return undefined;
  const { campaign_id, stat_date, channel } = r;
  if (typeof campaign_id !== 'string' || !UUID.test(campaign_id)) return undefined;
  if (typeof stat_date !== 'string' || !DATE.test(stat_date) || stat_date < dates.first || stat_date > dates.last)
    return undefined;
  if (typeof channel !== 'string' || !CHANNEL.test(channel)) return undefined;
  for (const column of COUNT_COLUMNS) if (!isCount(r[column])) return undefined;
  for (const column of MONEY_COLUMNS) if (!isAmount(r[column])) return undefined;
  // Only now, when the row is sure to pass: the zod schema would default these to 0 just the same.
  for (const column of REPORTED_METRICS) r[column] ??= 0;
  return r as unknown as StatRow;
}

/**
 * The batch as the schema would return it, or undefined when the schema must decide.
 * `dates` bounds stat_date (inclusive), as the schema does.
 */
export function acceptWellFormedBatch(
  value: unknown,
  limits: { maxRows: number; dates: { first: string; last: string } },
): { rows: StatRow[] } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const body = value as Record<string, unknown>;
  for (const key in body) if (key !== 'rows') return undefined;
  const rows = body.rows;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > limits.maxRows) return undefined;
  const keys = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const accepted = row(rows[i], limits.dates);
    if (!accepted) return undefined;
    const key = `${accepted.campaign_id}|${accepted.stat_date}|${accepted.channel}`;
    if (keys.has(key)) return undefined;
    keys.add(key);
  }
  return { rows: rows as StatRow[] };
}
