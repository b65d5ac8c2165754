// Writes one cycle's decisions in the cycle's transaction: through the ledger (src/ledger/execute.ts),
// which changes the campaigns, records the rows and queues the social posts, each as one statement
// over arrays; then the alerts its notifications raise.
// The campaigns were locked and found unchanged since the cycle read them (changed-since-read.ts);
// the ledger changes each only if it holds the state it was decided on all the same, and a miss
// aborts the write.
import type { SqlSession } from '../db/port.ts';
import type { Proposal } from '../domain/guardrails.ts';
import { expectedValueRecord } from '../domain/model/action-value.ts';
import { executeActions } from '../ledger/execute.ts';
import { supersedeSuggestions } from '../ledger/record.ts';

/** Answers the campaigns whose change went to their ad platform instead (recorded 'applying'). */
export async function applyProposals(
  s: SqlSession,
  tenantId: string,
  cycleId: string,
  proposals: readonly Proposal[],
  now: Date,
): Promise<ReadonlySet<string>> {
  if (proposals.length === 0) return new Set();
  // Checked still pending under lock (changed-since-read.ts); closed first, as one campaign has one
  // pending row at most (autonomous_actions_one_pending).
  await supersedeSuggestions(
    s,
    tenantId,
    proposals.flatMap((p) => p.candidate.pendingSuggestionId ?? []),
    now,
  );
  const { recorded, notMade } = await executeActions(
    s,
    tenantId,
    { cycleId, at: now },
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
  if (notMade.length > 0) throw new Error(`${notMade.length} campaign(s) changed under the cycle's lock`);
  // One action per campaign per cycle, so the campaign names its action.
  const actionOf = new Map(recorded.map((a) => [a.campaign_id, a.id]));
  const notifications = proposals
    .filter((p) => p.mode === 'execute' && p.actionType === 'notify')
    .map((proposal) => ({ proposal, actionId: actionOf.get(proposal.candidate.campaignId)! }));
  await raiseAlerts(s, tenantId, notifications, now.toISOString());
  return new Set(recorded.filter((a) => a.status === 'applying').map((a) => a.campaign_id));
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
