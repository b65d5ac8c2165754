// Notification events raised by the ledger's people-facing paths and the system's reports
// (issue 27): a rollback refused because the campaign changed since, a critical
// opportunity opened by the cycle, a weekly summary stored, a job that failed its last retry. Each
// is told once, with the words a message needs, and not at all to a tenant nobody subscribed for.
import { randomUUID } from 'node:crypto';
import type { Job } from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { computeWeeklySummary, lastCompleteWeek, storeWeeklySummary } from '../src/cmo/weekly-summary.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { RETRY_LIMIT } from '../src/jobs/queues.ts';
import { type RunJobData, runTaskJob } from '../src/jobs/run-task.ts';
import type { Task } from '../src/jobs/tasks.ts';
import type { NotificationEventType } from '../src/notify/event-types.ts';
import { decideAction } from '../src/services/actions.ts';
import { outboxEvents, subscribedDestination } from './support/notification-destination.ts';
import {
  actionsOf,
  addStats,
  createCampaign,
  createTenant,
  NOW,
  steadyDays,
  type TestTenant,
} from './support/scenario.ts';
import { testTaskDeps } from './support/task-deps.ts';
import { tokenFor } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';

describe('notification events of the ledger and the reports', () => {
  const testDb = useTestDb();

  /** A tenant, with a destination taking `types` unless `subscribed` is false. */
  async function tenant(types: NotificationEventType[], subscribed = true) {
    const t = await createTenant(testDb());
    if (subscribed) await subscribedDestination(testDb(), t.tenantId, { types });
    return t;
  }

  const eventsOf = async (t: TestTenant, type: NotificationEventType) =>
    (await outboxEvents(testDb(), t.tenantId)).filter((e) => e.type === type);

  /** A campaign the cycle scaled from 100 to 150, its budget since set to 120 by hand. */
  async function editedAfterScale(t: TestTenant, title: string) {
    const id = await createCampaign(testDb(), t, { title, budget: 100, hoursRunning: 96 });
    await addStats(testDb(), t, id, steadyDays(2, { spend: 50, revenue: 175, conversions: 8 }));
    await runCycle(testDb(), t.tenantId, { now: NOW });
    const action = (await actionsOf(testDb(), t)).find((a) => a.campaign_id === id)!;
    await testDb().session((s) =>
      s.query('UPDATE campaigns SET budget = 120 WHERE tenant_id = $1 AND id = $2', [t.tenantId, id]),
    );
    return { id, actionId: action.id };
  }

  async function member(t: TestTenant) {
    const userId = randomUUID();
    await tokenFor(testDb(), t.tenantId, 'admin', userId);
    return userId;
  }

  it('a refused rollback is told once per refusal, with what changed and who asked', async () => {
    const t = await tenant(['rollback.conflict']);
    const { id, actionId } = await editedAfterScale(t, 'Spring sale');
    const userId = await member(t);

    await expect(decideAction(testDb(), t.tenantId, actionId, 'rollback', { userId })).rejects.toThrow(
      /campaign changed since/,
    );
    const [event, ...more] = await eventsOf(t, 'rollback.conflict');
    expect(more).toEqual([]);
    expect(event!.data).toEqual({
      action_id: actionId,
      action_type: 'auto_scale_up',
      campaign: { id, title: 'Spring sale' },
      expected: { status: 'active', budget: 150 },
      actual: { status: 'active', budget: 120 },
      reason: 'cannot roll back: the campaign changed since (budget is 120, expected 150)',
      requested_by: `${userId}@example.com`,
    });
    // The refused transaction kept nothing else: the action is still executed.
    expect((await actionsOf(testDb(), t)).find((a) => a.id === actionId)!.status).toBe('executed');
    // Approving or dismissing it is no rollback: refused, but not told as one.
    await expect(decideAction(testDb(), t.tenantId, actionId, 'dismiss', { userId })).rejects.toThrow();
    expect(await eventsOf(t, 'rollback.conflict')).toHaveLength(1);
  });

  it('a refused rollback tells nothing to a tenant without a subscribed destination', async () => {
    const t = await tenant([], false);
    const { actionId } = await editedAfterScale(t, 'Spring sale');
    await expect(decideAction(testDb(), t.tenantId, actionId, 'rollback', { userId: null })).rejects.toThrow();
    const other = await tenant(['action.executed']);
    const refused = await editedAfterScale(other, 'Spring sale');
    await expect(
      decideAction(testDb(), other.tenantId, refused.actionId, 'rollback', { userId: null }),
    ).rejects.toThrow();
    expect(await outboxEvents(testDb(), t.tenantId)).toEqual([]);
    expect(await eventsOf(other, 'rollback.conflict')).toEqual([]);
  });

  /** Autopilot off, ROI 0.33 on 600 spent: a budget inefficiency the cycle rates critical. */
  async function wasteful(t: TestTenant) {
    const id = await createCampaign(testDb(), t, {
      title: 'Wasteful',
      budget: 500,
      hoursRunning: 24 * 30,
      autopilot: false,
    });
    await addStats(testDb(), t, id, [
      { daysAgo: 0, spend: 600, revenue: 200, conversions: 6, clicks: 300, impressions: 10_000 },
    ]);
    return id;
  }

  it('a critical opportunity is told when the cycle opens it, not when a later cycle refreshes it', async () => {
    const t = await tenant(['opportunity.critical']);
    const id = await wasteful(t);
    await runCycle(testDb(), t.tenantId, { now: NOW });
    const [event, ...more] = await eventsOf(t, 'opportunity.critical');
    expect(more).toEqual([]);
    const [opportunity] = await testDb().session((s) =>
      s.query<{ id: string; description: string }>(
        `SELECT id, description FROM optimization_opportunities
          WHERE tenant_id = $1 AND opportunity_type = 'budget_inefficiency'`,
        [t.tenantId],
      ),
    );
    expect(event!.data).toMatchObject({
      opportunity_id: opportunity!.id,
      kind: 'budget_inefficiency',
      severity: 'critical',
      campaign: { id, title: 'Wasteful' },
      detail: opportunity!.description,
    });
    // Detected again an hour later (refreshed, still open): not told again.
    await addStats(testDb(), t, id, [{ daysAgo: 1, spend: 30, revenue: 5, clicks: 10, impressions: 100 }]);
    await runCycle(testDb(), t.tenantId, { now: new Date(NOW.getTime() + 3_600_000) });
    expect(await eventsOf(t, 'opportunity.critical')).toHaveLength(1);

    const quiet = await tenant(['action.executed']);
    await wasteful(quiet);
    await runCycle(testDb(), quiet.tenantId, { now: NOW });
    expect(await outboxEvents(testDb(), quiet.tenantId)).toEqual([]);
  });

  it('a stored weekly summary is told once, with its week and headline figures', async () => {
    const t = await tenant(['weekly_summary.ready']);
    const { weekStart, weekEnd } = lastCompleteWeek(NOW);
    const store = () =>
      tenantScoped(testDb(), t.tenantId).transaction(async (s) => {
        const summary = await computeWeeklySummary(s, t.tenantId, weekStart);
        return storeWeeklySummary(s, t.tenantId, summary, '# week', null);
      });
    expect(await store()).toBe(true);
    expect(await store()).toBe(false);
    const events = await eventsOf(t, 'weekly_summary.ready');
    expect(events).toHaveLength(1);
    const [stored] = await testDb().session((s) =>
      s.query<{ id: string }>('SELECT id FROM weekly_summaries WHERE tenant_id = $1', [t.tenantId]),
    );
    expect(events[0]!.data).toMatchObject({
      summary_id: stored!.id,
      week_start: weekStart,
      week_end: weekEnd,
      totals: { spend: expect.objectContaining({ this_week: expect.anything() }), revenue: expect.anything() },
    });

    const quiet = await tenant([], false);
    await tenantScoped(testDb(), quiet.tenantId).transaction(async (s) =>
      storeWeeklySummary(s, quiet.tenantId, await computeWeeklySummary(s, quiet.tenantId, weekStart), '#', null),
    );
    expect(await outboxEvents(testDb(), quiet.tenantId)).toEqual([]);
  });

  const failing: Task = {
    name: 'autonomous-cycle',
    expireInSeconds: 60,
    run: () => Promise.reject(new Error('the model gateway timed out')),
  };
  const jobOf = (t: TestTenant, retryCount: number) =>
    ({
      id: randomUUID(),
      name: failing.name,
      data: { tenantId: t.tenantId },
      retryCount,
      expireInSeconds: 60,
      heartbeatSeconds: null,
      signal: new AbortController().signal,
    }) satisfies Job<RunJobData>;

  it('a job that fails its last retry is told as dead-lettered; its earlier failures are not', async () => {
    const t = await tenant(['job.dead_lettered']);
    const deps = testTaskDeps(testDb());
    for (let retry = 0; retry < RETRY_LIMIT; retry += 1) {
      await expect(runTaskJob(deps, failing, jobOf(t, retry))).rejects.toThrow('timed out');
    }
    expect(await eventsOf(t, 'job.dead_lettered')).toEqual([]);
    const last = jobOf(t, RETRY_LIMIT);
    await expect(runTaskJob(deps, failing, last)).rejects.toThrow('timed out');
    const events = await eventsOf(t, 'job.dead_lettered');
    const [tenantRow] = await testDb().session((s) =>
      s.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [t.tenantId]),
    );
    expect(events.map((e) => e.data)).toEqual([
      {
        job_id: last.id,
        task: 'autonomous-cycle',
        tenant: { id: t.tenantId, name: tenantRow!.name },
        error: 'the model gateway timed out',
        attempts: RETRY_LIMIT + 1,
      },
    ]);

    const quiet = await tenant([], false);
    await expect(runTaskJob(deps, failing, jobOf(quiet, RETRY_LIMIT))).rejects.toThrow();
    expect(await outboxEvents(testDb(), quiet.tenantId)).toEqual([]);
  });
});
