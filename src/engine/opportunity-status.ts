// A person working an opportunity: start it, resolve it, or dismiss it (with a note saying why,
// which also keeps the detector quiet about it for 30 days), and undo a dismissal: reopened, the
// note cleared, the detector free to flag it again.
import type { Database } from '../db/port.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';

export type OpportunityStatus = 'open' | 'in_progress' | 'resolved' | 'dismissed';

const ALLOWED_FROM: Record<OpportunityStatus, readonly string[]> = {
  open: ['dismissed'],
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

export async function setOpportunityStatus(
  db: Database,
  tenantId: string,
  id: string,
  status: OpportunityStatus,
  /** A dismissal's reason, kept on the row until the dismissal is undone. */
  note?: string,
) {
  return db.transaction(async (s) => {
    const [row] = await s.query<{ status: string; newer_live: boolean }>(
      `SELECT o.status, EXISTS (SELECT 1 FROM optimization_opportunities n
                                 WHERE n.tenant_id = o.tenant_id AND n.campaign_id = o.campaign_id
                                   AND n.opportunity_type = o.opportunity_type AND n.id <> o.id
                                   AND n.status IN ('open', 'in_progress')) AS newer_live
         FROM optimization_opportunities o WHERE o.tenant_id = $1 AND o.id = $2 FOR UPDATE OF o`,
      [tenantId, id],
    );
    if (!row) throw new OpportunityNotFoundError(`no opportunity ${id}`);
    if (row.status === status) return { id, status, unchanged: true };
    if (!ALLOWED_FROM[status].includes(row.status)) {
      throw new OpportunityStatusError(`an opportunity that is ${row.status} cannot become ${status}`);
    }
    // A campaign has one live opportunity per type: a dismissal is undone only while none replaced it.
    if (status === 'open' && row.newer_live) {
      throw new OpportunityStatusError('the campaign has a newer opportunity of this type open: work on that one', [
        { field: 'status', message: 'a newer one of this type is open' },
      ]);
    }
    await s.query(
      `UPDATE optimization_opportunities SET status = $3, updated_at = now(),
              resolved_at = CASE WHEN $3 = 'resolved' THEN now() ELSE resolved_at END,
              dismissal_note = CASE WHEN $3 = 'dismissed' THEN $4::text END
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, status, note ?? null],
    );
    return { id, status, unchanged: false };
  });
}
