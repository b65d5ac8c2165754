// The writing half of a cycle starts here: it locks what the cycle's decisions rest on (the
// tenant's settings, the rules, the campaigns) and compares them with what the reading half saw.
// A decision whose campaign, rule or tenant changed in between (a person's PATCH, a toggled rule,
// the autonomous switch) is not written: it becomes a guardrail stop that says what changed, and
// the next cycle decides again on the new state. A person's change is never overwritten.
import type { SqlSession } from '../db/port.ts';
import type { Proposal, Stop } from '../domain/guardrails.ts';
import type { CampaignAsRead, ReadState } from './plan-cycle.ts';

export interface Checked {
  /** Decisions whose every premise still holds, with their campaigns locked until commit. */
  unchanged: Proposal[];
  changed: Stop[];
}

export async function checkUnchangedSinceRead(
  s: SqlSession,
  tenantId: string,
  proposals: readonly Proposal[],
  read: ReadState,
): Promise<Checked> {
  if (proposals.length === 0) return { unchanged: [], changed: [] };
  const [tenant] = await s.query<{ updated_at: string }>(
    'SELECT updated_at::text FROM tenants WHERE id = $1 FOR SHARE',
    [tenantId],
  );
  const rules = await s.query<{ id: string; updated_at: string }>(
    'SELECT id, updated_at::text FROM autonomous_rules WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR SHARE',
    [tenantId, [...read.rulesUpdatedAt.keys()]],
  );
  // In id order, like every writer that locks several campaigns, so two of them cannot deadlock.
  const campaigns = await s.query<CampaignAsRead & { id: string }>(
    `SELECT id, version, status, budget::float8 AS budget, autopilot_enabled AS autopilot
       FROM campaigns WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
    [tenantId, [...read.campaigns.keys()]],
  );
  // Suggestions a decision supersedes must still await a person: one approved or dismissed in
  // between was answered, and the answer stands.
  const pending = await s.query<{ id: string }>(
    `SELECT id FROM autonomous_actions WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'pending'
      ORDER BY id FOR UPDATE`,
    [tenantId, proposals.flatMap((p) => p.candidate.pendingSuggestionId ?? [])],
  );
  const stillPending = new Set(pending.map((row) => row.id));
  const rulesNow = new Map(rules.map((rule) => [rule.id, rule.updated_at]));
  const campaignsNow = new Map(campaigns.map(({ id, ...campaign }) => [id, campaign]));
  const tenantChanged = tenant?.updated_at !== read.tenantUpdatedAt;

  const checked: Checked = { unchanged: [], changed: [] };
  for (const proposal of proposals) {
    const { campaignId, ruleId } = proposal.candidate;
    const detail = tenantChanged
      ? 'the tenant’s settings (autonomous switch, guardrails) changed while the cycle ran'
      : rulesNow.get(ruleId) !== read.rulesUpdatedAt.get(ruleId)
        ? 'the rule was edited or deleted while the cycle ran'
        : (campaignChange(read.campaigns.get(campaignId), campaignsNow.get(campaignId)) ??
          suggestionChange(proposal.candidate.pendingSuggestionId, stillPending));
    if (detail === undefined) checked.unchanged.push(proposal);
    else
      checked.changed.push({ kind: 'stop', candidate: proposal.candidate, guardrail: 'changed_during_cycle', detail });
  }
  return checked;
}

function suggestionChange(suggestionId: string | null, stillPending: ReadonlySet<string>): string | undefined {
  if (suggestionId === null || stillPending.has(suggestionId)) return undefined;
  return 'a person answered the suggestion this decision would replace while the cycle ran';
}

/** What happened to a campaign since it was read, in words; undefined when nothing did. */
function campaignChange(before: CampaignAsRead | undefined, now: CampaignAsRead | undefined): string | undefined {
  if (!before || !now) return 'the campaign was deleted while the cycle ran';
  if (before.version === now.version) return undefined;
  const fields = (['status', 'budget', 'autopilot'] as const)
    .filter((field) => before[field] !== now[field])
    .map((field) => `${field} ${before[field]} → ${now[field]}`);
  const what = fields.length > 0 ? fields.join(', ') : 'other fields';
  return `the campaign changed while the cycle ran (${what}; version ${before.version} → ${now.version}): decided again next cycle`;
}
