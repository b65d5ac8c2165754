// A rewrite of a variant's copy (rewrite_email_subject, rewrite_email_body, rewrite_sms_copy,
// rewrite_voice_script): the value is the text of one field of the variant.
import { quoteIdentifier } from '../../db/port.ts';
import type { OptimizationState } from '../../domain/content-change.ts';
import { type ContentTarget, contentChangeKind, lockVariantValue } from './content-change.ts';

type VariantCopy = Extract<OptimizationState, { target: 'variant_copy' }>;

const VARIANT_COPY: ContentTarget<VariantCopy> = {
  noun: 'variant',
  column: (state) => state.field,
  describe: (state) => `the previous ${state.field}`,
  lock: (s, tenantId, state) => lockVariantValue(s, tenantId, state.variant_id, state.field),
  async set(s, tenantId, state) {
    await s.query(
      `UPDATE content_variants SET ${quoteIdentifier(state.field)} = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [tenantId, state.variant_id, state.value],
    );
  },
  async moveMany(s, tenantId, moves, at) {
    const made = new Set<string>();
    // One statement per field: the column is part of the statement's text.
    for (const [field, rewrites] of Map.groupBy(moves, (m) => m.to.field)) {
      const column = quoteIdentifier(field);
      const rows = await s.query<{ action_id: string }>(
        `UPDATE content_variants v SET ${column} = d.value, updated_at = $6
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[]) AS d (id, previous, value, action_id)
          WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[]) AND v.id = d.id AND v.status = 'active'
            AND v.${column} IS NOT DISTINCT FROM d.previous
         RETURNING d.action_id`,
        [
          tenantId,
          rewrites.map((m) => m.from.variant_id),
          rewrites.map((m) => m.from.value),
          rewrites.map((m) => m.to.value),
          rewrites.map((m) => m.actionId),
          at.toISOString(),
        ],
      );
      for (const row of rows) made.add(row.action_id);
    }
    return made;
  },
};

export const COPY_REWRITE = contentChangeKind(VARIANT_COPY);
