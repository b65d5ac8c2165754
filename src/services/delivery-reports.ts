// A campaign's delivery as the dashboard shows it (GET /api/campaigns/{id}/delivery): the funnel
// of its recipients, and its steps with each variant's counts.
import type { CampaignDelivery, DeliveryStep } from '../contract/delivery.ts';
import type { Database } from '../db/port.ts';
import { deliveryFunnel, stepVariantCounts, type VariantCountsRow } from '../db/repositories/delivery-reports.ts';
import { existingCampaigns } from '../db/repositories/stats.ts';
import { NotFoundError } from '../domain/errors.ts';

export function deliveryReport(db: Database, tenantId: string, campaignId: string): Promise<CampaignDelivery> {
  return db.session(async (s) => {
    if (!(await existingCampaigns(s, tenantId, [campaignId])).has(campaignId)) {
      throw new NotFoundError(`no campaign ${campaignId}`);
    }
    const funnel = await deliveryFunnel(s, tenantId, campaignId);
    const rows = await stepVariantCounts(s, tenantId, campaignId);
    return { funnel, steps: stepsOf(rows) };
  });
}

/** The rows (in step order, a step's variants together) as steps holding their variants. */
function stepsOf(rows: readonly VariantCountsRow[]): DeliveryStep[] {
  const steps = new Map<string, DeliveryStep>();
  for (const { asset_id, name, step_index, channel, variant_id, label, status, ...counts } of rows) {
    let step = steps.get(asset_id);
    if (!step) {
      step = { step_index, asset_id, name, channel, variants: [] };
      steps.set(asset_id, step);
    }
    if (variant_id !== null)
      step.variants.push({ variant_id, label: label ?? '', status: status ?? 'active', ...counts });
  }
  return [...steps.values()];
}
