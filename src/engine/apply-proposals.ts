// Writes one cycle's decisions: campaign changes, ledger rows (through the ledger), and what
// follows from them (a queued social post, an alert), each as one statement over arrays, in the
// cycle's transaction.
// The campaigns were locked and found unchanged since the cycle read them (changed-since-read.ts);
// each update names the version it was decided on all the same, and a miss aborts the write.
import type { SqlSession } from '../db/port.ts';
import type { Proposal } from '../domain/guardrails.ts';
import { expectedValueRecord } from '../domain/model/action-value.ts';
import { recordActions, supersedeSuggestions } from '../ledger/record.ts';
import { schedulePosts } from '../social/post-queue.ts';
import { CAMPAIGN_CHANGES } from './campaign-changes.ts';

export async function applyProposals(
  s: SqlSession,
  tenantId: string,
  cycleId: string,
  proposals: readonly Proposal[],
  context: { now: Date; socialPlatforms: readonly string[]; versions: ReadonlyMap<string, number> },
): Promise<void> {
  if (proposals.length === 0) return;
  const now = context.now.toISOString();
  const changes = proposals.filter((p) => p.mode === 'execute' && CAMPAIGN_CHANGES.includes(p.actionType));
  if (changes.length > 0) {
    const updated = await s.query(
      `UPDATE campaigns c SET status = d.status, budget = d.budget, version = c.version + 1, updated_at = $6
         FROM unnest($2::uuid[], $3::text[], $4::numeric[], $5::int[]) AS d (id, status, budget, version)
        WHERE c.tenant_id = $1 AND c.id = d.id AND c.version = d.version
       RETURNING c.id`,
      [
        tenantId,
        changes.map((p) => p.candidate.campaignId),
        changes.map((p) => p.newState.status),
        changes.map((p) => p.newState.budget),
        changes.map((p) => context.versions.get(p.candidate.campaignId)),
        now,
      ],
    );
    if (updated.length !== changes.length) {
      throw new Error(`${changes.length - updated.length} campaign(s) changed under the cycle's lock`);
    }
  }
  // Checked still pending under lock (changed-since-read.ts); closed first, as one campaign has one
  // pending row at most (autonomous_actions_one_pending).
  await supersedeSuggestions(
    s,
    tenantId,
    proposals.flatMap((p) => p.candidate.pendingSuggestionId ?? []),
    context.now,
  );
  const actions = await recordActions(
    s,
    tenantId,
    { cycleId, at: context.now },
    proposals.map((p) => ({
      campaignId: p.candidate.campaignId,
      ruleId: p.candidate.ruleId,
      actionType: p.actionType,
      reason: p.reason,
      previousState: p.previousState,
      newState: p.newState,
      confidence: p.confidence,
      expectedImpact: p.expectedImpact,
      status: p.mode === 'execute' ? 'executed' : 'pending',
      expectedValue: p.value ? expectedValueRecord(p.value) : null,
      reversesActionId: p.reverses ?? null,
    })),
  );
  // One action per campaign per cycle, so the campaign names its action.
  const actionOf = new Map(actions.map((a) => [a.campaign_id, a.id]));
  const executed = (type: Proposal['actionType']) =>
    proposals
      .filter((p) => p.mode === 'execute' && p.actionType === type)
      .map((p) => ({ proposal: p, actionId: actionOf.get(p.candidate.campaignId)! }));
  await schedulePosts(
    s,
    tenantId,
    executed('auto_post').map(({ proposal, actionId }) => ({ actionId, campaignId: proposal.candidate.campaignId })),
    context.socialPlatforms,
    context.now,
  );
  await raiseAlerts(s, tenantId, executed('notify'), now);
}

async function raiseAlerts(
  s: SqlSession,
  tenantId: string,
  notifications: readonly { proposal: Proposal; actionId: string }[],
  now: string,
): Promise<void> {
  if (notifications.length === 0) return;
  const severity = (p: Proposal) => (p.candidate.action.type === 'notify' ? p.candidate.action.severity : undefined);
  await s.query(
    `INSERT INTO alerts (tenant_id, campaign_id, alert_type, severity, message, details, dedupe_key, created_at)
     SELECT $1, d.campaign_id, 'rule_notification', d.severity, d.message,
            jsonb_build_object('action_id', d.action_id, 'rule_id', d.rule_id, 'rule_name', d.rule_name,
                               'confidence', round(d.confidence::numeric, 5)),
            'rule_notification:' || d.action_id, $9
       FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::float8[])
            AS d (action_id, campaign_id, rule_id, rule_name, severity, message, confidence)`,
    [
      tenantId,
      notifications.map((n) => n.actionId),
      notifications.map((n) => n.proposal.candidate.campaignId),
      notifications.map((n) => n.proposal.candidate.ruleId),
      notifications.map((n) => n.proposal.candidate.ruleName),
      notifications.map((n) => severity(n.proposal) ?? 'medium'),
      notifications.map((n) => `${n.proposal.candidate.title}: ${n.proposal.reason}`),
      notifications.map((n) => n.proposal.confidence),
      now,
    ],
  );
}
