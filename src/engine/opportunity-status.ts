// A person working an opportunity: start it, resolve it, or dismiss it (which also keeps the
// detector quiet about it for 30 days).
import type { Database } from '../db/port.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';

export type OpportunityStatus = 'in_progress' | 'resolved' | 'dismissed';

const ALLOWED_FROM: Record<OpportunityStatus, readonly string[]> = {
  in_progress: ['open'],
  resolved: ['open', 'in_progress'],
  dismissed: ['open', 'in_progress'],
};

export class OpportunityNotFoundError extends NotFoundError {
  override name = 'OpportunityNotFoundError';
}

export class OpportunityStatusError extends ConflictError {
  override name = 'OpportunityStatusError';
}

export async function setOpportunityStatus(db: Database, tenantId: string, id: string, status: OpportunityStatus) {
  return db.transaction(async (s) => {
    const [row] = await s.query<{ status: string }>(
      'SELECT status FROM optimization_opportunities WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, id],
    );
    if (!row) throw new OpportunityNotFoundError(`no opportunity ${id}`);
    if (row.status === status) return { id, status, unchanged: true };
    if (!ALLOWED_FROM[status].includes(row.status)) {
      throw new OpportunityStatusError(`an opportunity that is ${row.status} cannot become ${status}`);
    }
    await s.query(
      `UPDATE optimization_opportunities SET status = $3, updated_at = now(),
              resolved_at = CASE WHEN $3 = 'resolved' THEN now() ELSE resolved_at END
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, status],
    );
    return { id, status, unchanged: false };
  });
}
