// Opportunities, for /api/opportunities: read, and worked (started, resolved, dismissed) by the
// engine's status rules (src/engine/opportunity-status.ts); moving one where it already is, is a conflict.
import type { Database } from '../db/port.ts';
import * as opportunities from '../db/repositories/opportunities.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { type OpportunityStatus, setOpportunityStatus } from '../engine/opportunity-status.ts';

export function listOpportunities(db: Database, tenantId: string, filter: opportunities.OpportunityFilter) {
  return db.session((s) => opportunities.listOpportunities(s, tenantId, filter));
}

export async function getOpportunity(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => opportunities.getOpportunity(s, tenantId, id));
  if (!row) throw new NotFoundError(`no opportunity ${id}`);
  return row;
}

export async function moveOpportunity(db: Database, tenantId: string, id: string, status: OpportunityStatus) {
  const outcome = await setOpportunityStatus(db, tenantId, id, status);
  if (outcome.unchanged) {
    throw new ConflictError(`the opportunity is already ${status}: nothing was changed`, [
      { field: 'status', message: `is ${status}` },
    ]);
  }
  return getOpportunity(db, tenantId, id);
}
