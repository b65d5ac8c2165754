// The judging half of a cycle's preparation: the tenant's attribution lag, every campaign's
// evidence (temp table cycle_evidence) and the ROI model fitted to them, as of one day. The live
// cycle, its previews and the backtest's replayed days all judge through this.
import type { SqlSession } from '../db/port.ts';
import { PortfolioModel } from '../domain/model/portfolio-model.ts';
import { loadCompleteness } from './attribution.ts';
import { prepareEvidence, readEvidence } from './campaign-evidence.ts';

export async function preparePortfolioModel(
  s: SqlSession,
  tenantId: string,
  asOf: string,
  now: Date,
  configuredLagDays: number | null,
): Promise<PortfolioModel> {
  const completeness = await loadCompleteness(s, tenantId, asOf, configuredLagDays);
  await prepareEvidence(s, tenantId, asOf, now, completeness);
  return new PortfolioModel(await readEvidence(s));
}
