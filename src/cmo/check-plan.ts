// Checks an optimizer's answer for one campaign before anything is written. Whatever a provider
// returns (the built-in one, or a language model through the gateway), only these pass:
//   - a plan that parses as optimizationPlanSchema (otherwise the campaign fails, with the reason);
//   - changes to this campaign's own active assets and variants, of a kind that fits the asset;
//   - kills that leave at least one active variant in every step;
//   - delays inside the tenant's configured range (a delay outside it is clamped, not refused:
//     the direction of the advice stays, its size is bounded);
//   - changes that change something; one change per target and kind.
// Everything else is rejected with a reason, which the run's output keeps.
import {
  type AssetInput,
  COPY_ASSET_TYPES,
  COPY_FIELDS,
  COPY_MAX_LENGTH,
  type OptimizationChange,
  type OptimizationInput,
  optimizationPlanSchema,
  type VariantInput,
} from '../agents/optimizer.ts';
import type { PlannedChange } from './planned-change.ts';

export class InvalidPlanError extends Error {
  override name = 'InvalidPlanError';
}

export interface RejectedChange {
  type: string;
  target: string;
  reason: string;
}

export interface CheckedPlan {
  accepted: PlannedChange[];
  rejected: RejectedChange[];
}

export function checkPlan(input: OptimizationInput, answer: unknown, mode: PlannedChange['mode']): CheckedPlan {
  const parsed = optimizationPlanSchema.safeParse(answer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidPlanError(
      `the optimizer's answer is not a valid plan: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  const variants = new Map<string, { variant: VariantInput; asset: AssetInput }>();
  const assets = new Map(input.assets.map((asset) => [asset.id, asset]));
  for (const asset of input.assets) for (const variant of asset.variants) variants.set(variant.id, { variant, asset });

  const accepted: PlannedChange[] = [];
  const rejected: RejectedChange[] = [];
  const seen = new Set<string>();
  const killedPerAsset = new Map<string, number>();
  const base = { campaignId: input.campaign.id, mode };

  for (const change of parsed.data.changes) {
    const target = 'variant_id' in change ? change.variant_id : change.asset_id;
    const reject = (reason: string) => rejected.push({ type: change.type, target, reason });
    const key = `${change.type}:${target}`;
    if (seen.has(key)) {
      reject('a second change of the same kind to the same target');
      continue;
    }
    seen.add(key);
    const common = { ...base, type: change.type, rationale: change.rationale, confidence: change.confidence };

    if (change.type === 'delay') {
      const asset = assets.get(change.asset_id);
      if (!asset) {
        reject('not an active asset of this campaign');
        continue;
      }
      const { min_delay_hours: min, max_delay_hours: max } = input.constraints.settings;
      const hours = Math.round(Math.min(max, Math.max(min, change.delay_hours)) * 100) / 100;
      if (hours === asset.delay_hours) {
        reject(`the delay is already ${hours} h (within the range ${min}–${max} h)`);
        continue;
      }
      accepted.push({
        ...common,
        assetId: asset.id,
        variantId: null,
        previous: { target: 'asset_delay', asset_id: asset.id, value: asset.delay_hours },
        next: { target: 'asset_delay', asset_id: asset.id, value: hours },
      });
      continue;
    }

    const found = variants.get(change.variant_id);
    if (found?.variant.status !== 'active') {
      reject('not an active variant of this campaign');
      continue;
    }
    const { variant, asset } = found;
    if (change.type === 'kill_variant') {
      const active = asset.variants.filter((v) => v.status === 'active').length;
      const killed = killedPerAsset.get(asset.id) ?? 0;
      if (active - killed <= 1) {
        reject('the last active variant of its step is never killed');
        continue;
      }
      killedPerAsset.set(asset.id, killed + 1);
      accepted.push({
        ...common,
        assetId: asset.id,
        variantId: variant.id,
        previous: { target: 'variant_status', variant_id: variant.id, asset_id: asset.id, value: 'active' },
        next: { target: 'variant_status', variant_id: variant.id, asset_id: asset.id, value: 'killed' },
      });
      continue;
    }
    const copyProblem = copyChangeProblem(change, variant, asset);
    if (copyProblem) {
      reject(copyProblem);
      continue;
    }
    const field = COPY_FIELDS[change.type];
    accepted.push({
      ...common,
      assetId: asset.id,
      variantId: variant.id,
      previous: { target: 'variant_copy', variant_id: variant.id, field, value: variant[field] },
      next: { target: 'variant_copy', variant_id: variant.id, field, value: change.value },
    });
  }
  // A variant killed in this plan keeps its copy: rewriting it too would be a change nobody sees.
  const killed = new Set(accepted.filter((c) => c.type === 'kill_variant').map((c) => c.variantId));
  const kept = accepted.filter((c) => c.type === 'kill_variant' || c.variantId === null || !killed.has(c.variantId));
  for (const dropped of accepted.filter((c) => !kept.includes(c))) {
    rejected.push({
      type: dropped.type,
      target: dropped.variantId ?? dropped.assetId,
      reason: 'the variant is killed in the same plan',
    });
  }
  return { accepted: kept, rejected };
}

type CopyChange = Extract<OptimizationChange, { value: string }>;

function copyChangeProblem(change: CopyChange, variant: VariantInput, asset: AssetInput): string | null {
  if (asset.asset_type !== COPY_ASSET_TYPES[change.type]) {
    return `a ${change.type} change does not apply to a ${asset.asset_type} asset`;
  }
  if (change.value.length > COPY_MAX_LENGTH[change.type]) {
    return `the new ${change.type} is longer than ${COPY_MAX_LENGTH[change.type]} characters`;
  }
  if (change.value.trim() === '') return `the new ${change.type} is empty`;
  if (variant[COPY_FIELDS[change.type]] === change.value) return `the ${change.type} already has this value`;
  return null;
}
