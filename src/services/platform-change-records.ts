// The changes on their way to the ad platforms, for GET /api/platform-changes and `nightshift
// changes`: the outbox rows newest first, each with what it does in words a person reads
// ("pause", "daily budget 50.00 → 80.00 EUR"), converted exactly from the platform's units.
import { metaCurrencyExponent, minorToDecimal } from '../ads/money.ts';
import type { PlatformChangeRecord } from '../contract/platform-changes.ts';
import type { Database } from '../db/port.ts';
import * as outbox from '../db/repositories/platform-changes.ts';

/** An amount in the platform's units as a decimal of the currency: exact, with at least 2 places. */
function amountOf(platform: 'meta' | 'google_ads', value: string, currency: string): string {
  if (platform === 'meta') return minorToDecimal(value, metaCurrencyExponent(currency));
  // Micros: whole cents print with 2 places, anything finer keeps its digits.
  return minorToDecimal(value, 6).replace(/(\.\d\d\d*?)0+$/, '$1');
}

const STATUS_WORDS: Record<string, string> = { PAUSED: 'pause', ACTIVE: 'resume', ENABLED: 'resume' };

export function changeInWords(
  row: Pick<outbox.PlatformChangeRow, 'platform' | 'field' | 'from_value' | 'to_value' | 'currency'>,
): string {
  if (row.field === 'status') return STATUS_WORDS[row.to_value] ?? `status ${row.to_value}`;
  const to = amountOf(row.platform, row.to_value, row.currency);
  const from = row.from_value === null ? '' : `${amountOf(row.platform, row.from_value, row.currency)} → `;
  return `daily budget ${from}${to} ${row.currency}`;
}

/** A page's rows (one more than `limit`), each keeping its sort key for the cursor. */
export async function listPlatformChanges(
  db: Database,
  tenantId: string,
  filter: outbox.PlatformChangeFilter,
): Promise<(PlatformChangeRecord & { sort_key: string })[]> {
  const found = await db.session((s) => outbox.listPlatformChanges(s, tenantId, filter));
  return found.map(({ currency, next_attempt_at, confirmed_at, created_at, updated_at, ...row }) => ({
    ...row,
    external_kind: row.external_kind as PlatformChangeRecord['external_kind'],
    change: changeInWords({ ...row, currency }),
    next_attempt_at: next_attempt_at.toISOString(),
    confirmed_at: confirmed_at?.toISOString() ?? null,
    created_at: created_at.toISOString(),
    updated_at: updated_at.toISOString(),
  }));
}
