// The cycles that ran, for /api/cycles: newest first in keyset pages, and one by id.
import type { Database } from '../db/port.ts';
import * as ledger from '../db/repositories/actions.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Keyset } from '../domain/keyset.ts';

export function listCycles(db: Database, tenantId: string, page: { limit: number; cursor?: Keyset }) {
  return db.session((s) => ledger.listCycles(s, tenantId, page));
}

export async function getCycle(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => ledger.getCycle(s, tenantId, id));
  if (!row) throw new NotFoundError(`no cycle ${id}`);
  const { sort_key: _, ...shown } = row;
  return shown;
}
