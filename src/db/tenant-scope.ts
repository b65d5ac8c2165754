// A view of the database confined to one tenant by row-level security (migration 0011): every
// session and transaction through it runs as nightshift_app with nightshift.tenant_id set, so a
// query that forgot its tenant filter still sees only this tenant. API requests use it; system work
// (migrations, the scheduled cycle over all tenants) uses the unscoped database.
import { isUuid } from '../domain/ids.ts';
import type { Database, SqlSession, TransactionOptions } from './port.ts';
import type { WorkLocks } from './work-locks.ts';

/**
 * Transaction-local: both end with the transaction, so a pooled connection never keeps them.
 * set_config('role', …) is SET LOCAL ROLE (membership checked the same way). A literal, not a
 * parameter, so it travels with BEGIN in one round trip; the id was checked to be a uuid.
 */
const enterTenant = (tenantId: string) =>
  `SELECT set_config('nightshift.tenant_id', '${tenantId}', true), set_config('role', 'nightshift_app', true)`;

export function tenantScoped(db: Database, tenantId: string): Database {
  if (!isUuid(tenantId)) throw new Error(`not a tenant id: ${tenantId}`);
  const enter = enterTenant(tenantId);
  const transaction = <T>(work: (s: SqlSession) => Promise<T>, options: TransactionOptions = {}) =>
    db.transaction(work, { ...options, begin: options.begin ? `${enter}; ${options.begin}` : enter });
  const locks: WorkLocks = {
    run: (key, request, work) => db.locks.run(key, request, (locked) => work(tenantScoped(locked, tenantId))),
    holder: (key) => db.locks.holder(key),
    cancel: (key) => db.locks.cancel(key),
  };
  return {
    kind: db.kind,
    // A plain session cannot hold transaction-local settings: it becomes a transaction here.
    session: (work) => transaction(work),
    transaction,
    locks,
    close: () => Promise.resolve(),
  };
}
