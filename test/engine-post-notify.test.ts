// Post and notify rules in the cycle: a post rule queues a social post (campaign_schedules row +
// auto_post action), a notify rule raises an alert (alerts row + notify action); both are
// scored by the probability that their condition truly holds, and both stay quiet for a while
// after acting.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { createRule } from '../src/engine/rules-store.ts';
import { approveAction } from '../src/ledger/decide.ts';
import { ActionConflictError, ActionStatusError } from '../src/ledger/errors.ts';
import { rollbackAction } from '../src/ledger/rollback.ts';
import {
  actionsOf,
  addStats,
  createCampaign,
  createTenant,
  datePersonDecision,
  NOW,
  steadyDays,
  type TestTenant,
} from './support/scenario.ts';
import { useTestDb } from './support/test-db.ts';

const HOUR_MS = 3_600_000;
const cipher = createTokenCipher(randomBytes(32).toString('hex'));

// The seeds' posting criteria: CTR above 2% (here over the last 7 days), running for over 7 days.
const postRule = {
  rule_name: 'Social Auto-Post',
  rule_type: 'post',
  priority: 70,
  condition: { terms: [{ metric: 'ctr', window: '7d', operator: '>', threshold: 0.02 }], min_hours_running: 168 },
  action: { type: 'auto_post' },
};
const notifyRule = {
  rule_name: 'Expensive conversions',
  rule_type: 'notify',
  priority: 60,
  condition: { metric: 'cpa', operator: '>', threshold: 50, min_spend: 100 },
  action: { type: 'notify', severity: 'high' },
};
// ROI 2: no pause or scale rule matches, so the post or notify rule is the campaign's only match.
const engaging = { spend: 20, revenue: 40, conversions: 1, clicks: 300, impressions: 10_000 };

describe('post and notify rules in the cycle', () => {
  const testDb = useTestDb();
  const cycle = (t: TestTenant, now = NOW) => runCycle(testDb(), t.tenantId, { now });
  const query = <T>(sql: string, params: unknown[]) => testDb().session((s) => s.query<T>(sql, params));

  async function connect(t: TestTenant, platforms: string[]) {
    for (const platform of platforms) {
      await query(
        `INSERT INTO social_accounts (tenant_id, platform, account_name, external_account_id, access_token_ciphertext)
         VALUES ($1, $2, 'Acme', $3, $4)`,
        [t.tenantId, platform, `${platform}-1`, cipher.encrypt(`token-${platform}`)],
      );
    }
  }
  const schedules = (t: TestTenant) =>
    query<{
      campaign_id: string;
      action_id: string;
      status: string;
      scheduled_for: Date;
      platforms: string[];
      content: { title: string; utm: { medium: string } };
    }>('SELECT * FROM campaign_schedules WHERE tenant_id = $1 ORDER BY created_at', [t.tenantId]);

  async function postWorld(options: { autopilot?: boolean; platforms?: string[] } = {}) {
    const t = await createTenant(testDb());
    await connect(t, options.platforms ?? ['instagram', 'facebook']);
    await createRule(testDb(), t.tenantId, postRule);
    const campaign = (title: string, hoursRunning: number) =>
      createCampaign(testDb(), t, { title, budget: 100, hoursRunning, autopilot: options.autopilot ?? true });
    const eligible = await campaign('Eligible', 240);
    await addStats(testDb(), t, eligible, steadyDays(10, engaging));
    const lowCtr = await campaign('CTR 1.5%', 240);
    await addStats(testDb(), t, lowCtr, steadyDays(10, { ...engaging, clicks: 150 }));
    const young = await campaign('Three days old', 72);
    await addStats(testDb(), t, young, steadyDays(3, engaging));
    const recent = await campaign('Posted 10 h ago', 240);
    await addStats(testDb(), t, recent, steadyDays(10, engaging));
    const at = new Date(NOW.getTime() - 10 * HOUR_MS).toISOString();
    await query(
      `INSERT INTO autonomous_actions (tenant_id, campaign_id, action_type, reason, status, executed_at, created_at)
       VALUES ($1, $2, 'auto_post', 'posted earlier', 'executed', $3, $3)`,
      [t.tenantId, recent, at],
    );
    return { t, eligible };
  }

  it('queues one post for the eligible campaign only, with the ledger row it belongs to', async () => {
    const { t, eligible } = await postWorld();
    const result = await cycle(t);
    expect(result.actions_taken.campaigns_posted).toBe(1);
    expect(result.decisions).toMatchObject([
      {
        campaign_id: eligible,
        action_type: 'auto_post',
        mode: 'execute',
        new_state: { status: 'active', platforms: ['facebook', 'instagram'] },
      },
    ]);
    expect(result.decisions[0]!.reason).toContain('CTR 3.00% over 7d (> 2.00%)');
    expect(result.decisions[0]!.confidence).toBeGreaterThan(0.99);

    const [schedule, ...more] = await schedules(t);
    expect(more).toEqual([]);
    const action = (await actionsOf(testDb(), t)).find(
      (a) => a.action_type === 'auto_post' && a.campaign_id === eligible,
    );
    expect(action).toMatchObject({ status: 'executed' });
    expect(schedule).toMatchObject({
      campaign_id: eligible,
      action_id: action!.id,
      status: 'pending',
      platforms: ['facebook', 'instagram'],
      content: { title: 'Eligible', utm: { medium: 'social' } },
    });
    expect(new Date(schedule!.scheduled_for).getTime()).toBe(NOW.getTime() + 5 * 60_000);

    // Within the 24 h posting cooldown nothing is posted again, and nothing is reported as stopped.
    const again = await cycle(t, new Date(NOW.getTime() + HOUR_MS));
    expect(again.actions_taken.campaigns_posted).toBe(0);
    expect(again.guardrail_stops).toEqual([]);
    expect(await schedules(t)).toHaveLength(1);
  });

  it('rolls a post back while it is queued, refuses once it is out, and does not re-post a rolled-back one', async () => {
    const { t } = await postWorld();
    await cycle(t);
    const [queued] = await schedules(t);
    expect(await rollbackAction(testDb(), t.tenantId, queued!.action_id)).toMatchObject({ status: 'rolled_back' });
    expect((await schedules(t))[0]!.status).toBe('cancelled');
    // The person rolled it back a minute after the cycle (on the scenario's clock).
    await datePersonDecision(testDb(), t, queued!.action_id, new Date(NOW.getTime() + 60_000));

    const later = await cycle(t, new Date(NOW.getTime() + 25 * HOUR_MS));
    // The campaign posted 35 h before is due again; the rolled-back one is left alone.
    expect(later.decisions.map((d) => d.title)).toEqual(['Posted 10 h ago']);
    expect(later.guardrail_stops).toMatchObject([{ title: 'Eligible', guardrail: 'rolled_back' }]);

    // Another tenant's post that the dispatcher already published cannot be taken back.
    const other = await postWorld();
    await cycle(other.t);
    const [published] = await schedules(other.t);
    await query("UPDATE campaign_schedules SET status = 'posted' WHERE tenant_id = $1", [other.t.tenantId]);
    const refusal = await rollbackAction(testDb(), other.t.tenantId, published!.action_id).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ActionConflictError);
    expect((refusal as ActionConflictError).actual).toEqual({ post: 'posted' });
    expect((await schedules(other.t))[0]!.status).toBe('posted');
  });

  it('without a connected account the post is stopped and visible; with autopilot off it waits for approval', async () => {
    const unconnected = await postWorld({ platforms: [] });
    const stopped = await cycle(unconnected.t);
    expect(stopped.actions_taken.campaigns_posted).toBe(0);
    expect(stopped.guardrail_stops).toMatchObject([
      { campaign_id: unconnected.eligible, guardrail: 'no_social_account' },
    ]);

    const manual = await postWorld({ autopilot: false, platforms: ['twitter'] });
    const suggested = await cycle(manual.t);
    expect(suggested.suggestions_created).toBe(1);
    expect(await schedules(manual.t)).toEqual([]);
    const pending = (await actionsOf(testDb(), manual.t)).find((a) => a.status === 'pending')!;
    expect(pending.action_type).toBe('auto_post');
    await approveAction(testDb(), manual.t.tenantId, pending.id);
    expect(await schedules(manual.t)).toMatchObject([
      { action_id: pending.id, platforms: ['twitter'], status: 'pending' },
    ]);
  });

  it('a notify rule raises one alert with its ledger row, even with autopilot off, and cannot be rolled back', async () => {
    const t = await createTenant(testDb());
    await createRule(testDb(), t.tenantId, notifyRule);
    const costly = await createCampaign(testDb(), t, {
      title: 'Costly',
      budget: 300,
      hoursRunning: 240,
      autopilot: false,
    });
    // CPA 150 (spend 600, 4 conversions), ROI 1.5: no pause or scale rule matches.
    await addStats(testDb(), t, costly, steadyDays(4, { spend: 150, revenue: 225, conversions: 1 }));
    const cheap = await createCampaign(testDb(), t, { title: 'Cheap', budget: 300, hoursRunning: 240 });
    await addStats(testDb(), t, cheap, steadyDays(4, { spend: 150, revenue: 225, conversions: 5 }));

    const result = await cycle(t);
    expect(result.notifications_sent).toBe(1);
    expect(result.suggestions_created).toBe(0);
    const alerts = await query<{ campaign_id: string; severity: string; message: string; details: object }>(
      'SELECT campaign_id, severity, message, details FROM alerts WHERE tenant_id = $1',
      [t.tenantId],
    );
    const [action] = await actionsOf(testDb(), t);
    expect(action).toMatchObject({ campaign_id: costly, action_type: 'notify', status: 'executed' });
    expect(Number(action!.confidence_score)).toBeGreaterThan(0.95);
    expect(alerts).toMatchObject([
      {
        campaign_id: costly,
        severity: 'high',
        details: { action_id: action!.id, rule_name: 'Expensive conversions' },
      },
    ]);
    expect(alerts[0]!.message).toContain('CPA $150.00 (> $50.00)');

    expect((await cycle(t, new Date(NOW.getTime() + HOUR_MS))).notifications_sent).toBe(0);
    await expect(rollbackAction(testDb(), t.tenantId, action!.id)).rejects.toBeInstanceOf(ActionStatusError);
  });
});
