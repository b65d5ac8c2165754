// GAQL over googleAds:searchStream. The REST answer is a JSON array of batches, each with its
// `results` (up to 10,000 rows), `fieldMask` and `requestId`; the rows come in lowerCamelCase
// (campaign_budget.amount_micros → campaignBudget.amountMicros) with int64 fields as strings.
import type { CallOptions, GoogleAdsSession } from './session.ts';

/** One result row: the selected fields under their resources, e.g. `{ campaign: { id: "1" }, metrics: {...} }`. */
export type GoogleAdsRow = Record<string, Record<string, unknown> | undefined>;

/** The rows of `query`, a batch at a time, as Google sends them. */
export async function* searchStream(
  session: GoogleAdsSession,
  query: string,
  options: CallOptions = {},
): AsyncGenerator<GoogleAdsRow[]> {
  for await (const batch of session.stream('googleAds:searchStream', { query }, options)) {
    const results = batch.results;
    if (Array.isArray(results) && results.length > 0) yield results as GoogleAdsRow[];
  }
}

/** Every row of `query`; for small answers (a customer, a list of campaigns). */
export async function searchAll(
  session: GoogleAdsSession,
  query: string,
  options: CallOptions = {},
): Promise<GoogleAdsRow[]> {
  const rows: GoogleAdsRow[] = [];
  for await (const batch of searchStream(session, query, options)) rows.push(...batch);
  return rows;
}
