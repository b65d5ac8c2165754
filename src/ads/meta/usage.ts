// How close the caller is to Meta's rate limits, read from the usage headers Meta puts on its
// answers, successes included, so a caller can slow down before it is throttled rather than after.
// developers.facebook.com/docs/graph-api/overview/rate-limiting and
// developers.facebook.com/docs/marketing-api/overview/rate-limiting:
//
//   x-business-use-case-usage   {"<business or ad account id>": [{"type": "ads_management",
//                                 "call_count": 28, "total_cputime": 25, "total_time": 25,
//                                 "estimated_time_to_regain_access": 0 (minutes)}, …], …}
//   x-ad-account-usage          {"acc_id_util_pct": 9.67, "reset_time_duration": 100 (seconds),
//                                 "ads_api_access_tier": "standard_access"}
//   x-app-usage                 {"call_count": 28, "total_time": 25, "total_cputime": 25}
//   x-fb-ads-insights-throttle  {"app_id_util_pct": 12.5, "acc_id_util_pct": 40, …}
//
// Percentages are of the limit; 100 means throttled. A header that is missing or unreadable is
// left out: it never fails the call it came with.

export type UsageHeader =
  | 'x-business-use-case-usage'
  | 'x-ad-account-usage'
  | 'x-app-usage'
  | 'x-fb-ads-insights-throttle';

/** One limit's reading. */
export interface UsageReading {
  header: UsageHeader;
  /** The business or ad account a Business Use Case reading is keyed by. */
  id?: string;
  /** The Business Use Case: ads_management, ads_insights, custom_audience… */
  type?: string;
  /** The highest of the reading's percentages (calls, CPU time, total time). */
  percent: number;
  /** When Meta said how long until the limit lets calls through again (BUC's estimate; an ad account's reset). */
  regainAccessMs?: number;
}

export interface MetaUsage {
  /** The highest percentage of any limit on the answer; 0 when it carried no usage header. */
  maxPercent: number;
  /**
   * The longest wait Meta announced before a throttled limit lets calls through again: the BUC
   * header's estimated_time_to_regain_access, or an ad account's reset_time_duration once it is
   * at 100%. 0 when nothing is throttled.
   */
  regainAccessMs: number;
  readings: UsageReading[];
}

export const NO_USAGE: MetaUsage = Object.freeze({ maxPercent: 0, regainAccessMs: 0, readings: [] }) as MetaUsage;

function json(headers: Headers, name: UsageHeader): unknown {
  const text = headers.get(name);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A finite non-negative number, or 0 (Meta sends numbers; a string of one is taken too). */
function amount(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

const highest = (record: Record<string, unknown>, keys: readonly string[]) =>
  Math.max(0, ...keys.map((key) => amount(record[key])));

const TIME_KEYS = ['call_count', 'total_cputime', 'total_time'] as const;

function businessUseCase(headers: Headers): UsageReading[] {
  const parsed = json(headers, 'x-business-use-case-usage');
  if (!isRecord(parsed)) return [];
  const readings: UsageReading[] = [];
  for (const [id, buckets] of Object.entries(parsed)) {
    if (!Array.isArray(buckets)) continue;
    for (const bucket of buckets) {
      if (!isRecord(bucket)) continue;
      const minutes = amount(bucket.estimated_time_to_regain_access);
      readings.push({
        header: 'x-business-use-case-usage',
        id,
        ...(typeof bucket.type === 'string' ? { type: bucket.type } : {}),
        percent: highest(bucket, TIME_KEYS),
        ...(minutes > 0 ? { regainAccessMs: minutes * 60_000 } : {}),
      });
    }
  }
  return readings;
}

function adAccount(headers: Headers): UsageReading[] {
  const parsed = json(headers, 'x-ad-account-usage');
  if (!isRecord(parsed)) return [];
  const percent = amount(parsed.acc_id_util_pct);
  const seconds = amount(parsed.reset_time_duration);
  return [
    {
      header: 'x-ad-account-usage',
      percent,
      ...(percent >= 100 && seconds > 0 ? { regainAccessMs: seconds * 1000 } : {}),
    },
  ];
}

function flat(headers: Headers, header: UsageHeader, keys: readonly string[]): UsageReading[] {
  const parsed = json(headers, header);
  return isRecord(parsed) ? [{ header, percent: highest(parsed, keys) }] : [];
}

/** Every usage header of an answer, and the highest percentage and longest wait among them. */
export function readUsage(headers: Headers): MetaUsage {
  const readings = [
    ...businessUseCase(headers),
    ...adAccount(headers),
    ...flat(headers, 'x-app-usage', TIME_KEYS),
    ...flat(headers, 'x-fb-ads-insights-throttle', ['app_id_util_pct', 'acc_id_util_pct']),
  ];
  if (readings.length === 0) return NO_USAGE;
  return {
    maxPercent: Math.max(...readings.map((reading) => reading.percent)),
    regainAccessMs: Math.max(...readings.map((reading) => reading.regainAccessMs ?? 0)),
    readings,
  };
}
