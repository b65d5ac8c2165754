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
};

export const COPY_REWRITE = contentChangeKind(VARIANT_COPY);
