// Why the loop skipped a change it meant to apply: its target moved between the loop's read and
// its write (a person edited the copy, paused the variant or the step, or another kill left the
// variant its step's last one). Read in the writing transaction, after its updates, so the words
// describe the state the write found.
import type { SqlSession } from '../db/port.ts';
import type { PlannedChange } from './planned-change.ts';

export interface SkippedChange {
  campaign_id: string;
  type: PlannedChange['type'];
  /** The variant, or the step (asset) for a delay. */
  target_id: string;
  detail: string;
}

interface TargetNow {
  id: string;
  status: string;
  value: string | number | null;
}

export async function describeSkipped(
  s: SqlSession,
  tenantId: string,
  skipped: readonly PlannedChange[],
): Promise<SkippedChange[]> {
  if (skipped.length === 0) return [];
  const variants = await s.query<
    TargetNow & { subject: string | null; body: string | null; sms_copy: string | null; voice_script: string | null }
  >(
    `SELECT id, status, subject, body, sms_copy, voice_script, NULL AS value
       FROM content_variants WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    [tenantId, skipped.flatMap((c) => (c.variantId ? [c.variantId] : []))],
  );
  const assets = await s.query<TargetNow>(
    `SELECT id, status, delay_hours::float8 AS value FROM content_assets WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    [tenantId, skipped.filter((c) => c.type === 'delay').map((c) => c.assetId)],
  );
  const variantNow = new Map(variants.map((v) => [v.id, v]));
  const assetNow = new Map(assets.map((a) => [a.id, a]));
  return skipped.map((change) => {
    const targetId = change.type === 'delay' ? change.assetId : change.variantId!;
    return { campaign_id: change.campaignId, type: change.type, target_id: targetId, detail: detail(change) };
  });

  function detail(change: PlannedChange): string {
    const previous = change.previous;
    if (previous.target === 'asset_delay') {
      const asset = assetNow.get(change.assetId);
      if (!asset) return 'the step was deleted';
      if (asset.status !== 'active') return `the step is ${asset.status} now`;
      return `the step's delay is ${asset.value} h now, not the ${previous.value} h the loop read`;
    }
    const variant = variantNow.get(previous.variant_id);
    if (!variant) return 'the variant was deleted';
    if (variant.status !== 'active') return `the variant is ${variant.status} now`;
    if (previous.target === 'variant_status') return 'the variant is now the last active one of its step';
    return `the variant's ${previous.field} was edited since the loop read it`;
  }
}
