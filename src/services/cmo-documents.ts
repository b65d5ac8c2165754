// Reading what the CMO agents stored, for /api/cmo-plans, /api/cmo-funnels and
// /api/cmo-recommendations: a plan comes back with the parts of the agent's answer a person reads
// (summary, phases, channel mix, milestones, targets, risks) as fields of its own.
import type { CmoFunnelRecord, CmoPlanRecord } from '../contract/cmo-documents.ts';
import type { Database } from '../db/port.ts';
import * as documents from '../db/repositories/cmo-documents.ts';
import { NotFoundError } from '../domain/errors.ts';

export function listPlans(db: Database, tenantId: string, filter: documents.PlanFilter) {
  return db.session((s) => documents.listPlans(s, tenantId, filter));
}

export async function getPlan(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => documents.getPlan(s, tenantId, id));
  if (!row) throw new NotFoundError(`no plan ${id}`);
  const { plan, ...head } = row;
  // The answer passed plan90DayOutput before it was stored; a part it left out reads as empty.
  const answer = (plan ?? {}) as Partial<CmoPlanRecord>;
  return {
    ...head,
    summary: answer.summary ?? null,
    phases: answer.phases ?? [],
    channel_mix: answer.channel_mix ?? [],
    milestones: answer.milestones ?? [],
    target_metrics: answer.target_metrics ?? {},
    risks: answer.risks ?? [],
  };
}

export function listFunnels(db: Database, tenantId: string, filter: documents.FunnelFilter) {
  return db.session((s) => documents.listFunnels(s, tenantId, filter));
}

export async function getFunnel(db: Database, tenantId: string, id: string) {
  const row = await db.session((s) => documents.getFunnel(s, tenantId, id));
  if (!row) throw new NotFoundError(`no funnel ${id}`);
  return { ...row, stages: (row.stages ?? []) as CmoFunnelRecord['stages'] };
}

export function listRecommendations(db: Database, tenantId: string, filter: documents.RecommendationFilter) {
  return db.session((s) => documents.listRecommendations(s, tenantId, filter));
}
