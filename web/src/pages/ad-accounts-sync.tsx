// How an ad account's stats sync stands, in its row of the Ad accounts page: a new connection's
// backfill as it goes ("Backfilling 90 days: 40 of 90 done, through 2026-10-12"), when the last
// sync ended, and the platform's words when the last one failed. The page reads the accounts
// again while a backfill is unfinished (see `backfilling`), so the line moves on its own.
import type { AdAccountRecord } from '../../../src/contract/ad-accounts.ts';
import { dateTime } from '../lib/format.ts';

/** A backfill the syncs still carry on: the account is connected and not every day is stored. */
export const backfilling = (account: AdAccountRecord) => account.status === 'connected' && !account.sync.backfill.done;

export function SyncState({ account }: { account: AdAccountRecord }) {
  const { backfill, last_synced_at, last_error } = account.sync;
  return (
    <div className="ad-sync" data-testid="ad-account-sync">
      {backfilling(account) && backfill.from !== null && (
        <div className="small" role="status">
          <progress max={backfill.days_total} value={backfill.days_done} aria-label="Backfill" /> Backfilling{' '}
          {backfill.days_total} days: {backfill.days_done} of {backfill.days_total} done
          {backfill.through ? `, through ${backfill.through}` : ''}
        </div>
      )}
      {last_synced_at ? (
        <div className="muted small">Last synced {dateTime(last_synced_at)}</div>
      ) : (
        backfill.from === null && (
          <div className="muted small">
            Not synced yet{backfilling(account) ? `: the first sync backfills ${backfill.days_total} days` : ''}.
          </div>
        )
      )}
      {last_error && <div className="field-error">Last sync failed: {last_error}</div>}
    </div>
  );
}
