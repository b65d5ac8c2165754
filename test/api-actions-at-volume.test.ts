// The ledger at volume over real HTTP: filtering by the CMO loop's action types, deciding many
// suggestions at once (each reported: done, unchanged, refused, conflict, not found), who decided
// or rolled back named on every row (a person, or an API key), rollback rows in words, and the
// filtered ledger as CSV.
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-keys.ts';
import { recordActions } from '../src/ledger/record.ts';
import { addStats, createCampaign, steadyDays, type TestTenant } from './support/scenario.ts';
import { apiClient, expectFieldError, useTestApi } from './support/test-api.ts';

describe('/api/actions at volume', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();

  /** Losers with autopilot off: one cycle suggests pausing each (pending), `n` of them. */
  async function suggestions(t: TestTenant, n: number, title = (i: number) => `Loser ${i}`) {
    const campaigns: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = await createCampaign(testDb(), t, {
        title: title(i),
        budget: 200,
        hoursRunning: 72,
        autopilot: false,
      });
      await addStats(testDb(), t, id, steadyDays(3, { spend: 400, revenue: 100 }));
      campaigns.push(id);
    }
    return campaigns;
  }

  async function pendingIds(client: ReturnType<typeof apiClient>) {
    const page = await client.get('/api/actions?status=pending');
    return (page.body.data as { id: string; campaign_id: string }[]).map((a) => a.id);
  }

  const keyClient = async (t: TestTenant, name: string, role: 'admin' | 'member') => {
    const key = await createApiKey(testDb(), t.tenantId, { name, role });
    return { id: key.id, client: apiClient(api(), key.key) };
  };

  it('approves many at once, reporting each: done, refused, conflict, not found; the others are carried out', async () => {
    const { t, member, viewer, admin } = await clients();
    const campaigns = await suggestions(t, 4);
    expect((await admin.post('/api/cycles')).status).toBe(201);
    const [first, second, third, moved] = await pendingIds(viewer);
    const movedCampaign = (await viewer.get(`/api/actions/${moved}`)).body.campaign_id;
    // Someone paused one campaign by hand since: its suggestion no longer fits.
    await testDb().session((s) =>
      s.query("UPDATE campaigns SET status = 'paused' WHERE tenant_id = $1 AND id = $2", [t.tenantId, movedCampaign]),
    );
    await member.post(`/api/actions/${third}/dismiss`);
    const unknown = crypto.randomUUID();

    const answer = await member.post('/api/actions/bulk', {
      decision: 'approve',
      ids: [first, second, third, moved, unknown],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toEqual([
      { id: first, outcome: 'done', status: 'executed', message: null },
      { id: second, outcome: 'done', status: 'executed', message: null },
      { id: third, outcome: 'refused', status: 'dismissed', message: expect.stringMatching(/only pending/) },
      {
        id: moved,
        outcome: 'conflict',
        status: 'pending',
        message: expect.stringMatching(/changed since/),
        expected: { status: 'active', budget: 200 },
        actual: { status: 'paused', budget: 200 },
      },
      { id: unknown, outcome: 'not_found', status: null, message: expect.stringMatching(/no action/) },
    ]);
    expect(answer.body.counts).toEqual({ done: 2, unchanged: 0, refused: 1, conflict: 1, not_found: 1, failed: 0 });
    const statuses = await Promise.all(campaigns.map(async (id) => (await viewer.get(`/api/campaigns/${id}`)).body));
    expect(statuses.filter((c) => c.status === 'paused')).toHaveLength(3);

    // Again: the two are already executed, nothing changes.
    const again = await member.post('/api/actions/bulk', { decision: 'approve', ids: [first, second] });
    expect(again.body.counts).toMatchObject({ done: 0, unchanged: 2 });
    expect(again.body.results[0]).toMatchObject({ outcome: 'unchanged', status: 'executed' });
  });

  it('names who decided: the member’s e-mail for a token, "API key <name>" for a key; and who rolled back', async () => {
    const { t, member, viewer } = await clients();
    await suggestions(t, 2);
    const adminKey = await keyClient(t, 'ops-bot', 'admin');
    expect((await adminKey.client.post('/api/cycles')).status).toBe(201);
    const [byMember, byKey] = await pendingIds(viewer);

    expect((await member.post('/api/actions/bulk', { decision: 'approve', ids: [byMember] })).status).toBe(200);
    expect((await adminKey.client.post('/api/actions/bulk', { decision: 'approve', ids: [byKey] })).status).toBe(200);
    const approved = (await viewer.get(`/api/actions/${byMember}`)).body;
    expect(approved).toMatchObject({ status: 'executed', decided_by: expect.any(String), decided_by_api_key: null });
    expect(approved.decided_by_name).toMatch(/@example\.com$/);
    expect((await viewer.get(`/api/actions/${byKey}`)).body).toMatchObject({
      decided_by: null,
      decided_by_api_key: adminKey.id,
      decided_by_name: 'API key ops-bot',
    });

    const rolledBack = await adminKey.client.post(`/api/actions/${byMember}/rollback`);
    expect(rolledBack.body).toMatchObject({
      status: 'rolled_back',
      rolled_back_by_api_key: adminKey.id,
      rolled_back_by_name: 'API key ops-bot',
    });
    // The rollback's own row says what it restored in words, and who did it.
    const [undo] = (await viewer.get('/api/actions?action_type=rollback')).body.data;
    expect(undo.reason).toBe(`Rolled back auto_pause ${byMember}: restored status active.`);
    expect(undo.decided_by_name).toBe('API key ops-bot');
  });

  it('refuses bad input with 422 naming the field, and viewers with 403; nothing is decided', async () => {
    const { t, member, viewer, admin } = await clients();
    await suggestions(t, 1);
    await admin.post('/api/cycles');
    const [id] = await pendingIds(viewer);
    expectFieldError(await member.post('/api/actions/bulk', { decision: 'approve', ids: [] }), 'ids');
    expectFieldError(await member.post('/api/actions/bulk', { decision: 'rollback', ids: [id] }), 'decision');
    expectFieldError(await member.post('/api/actions/bulk', { decision: 'approve', ids: ['nope'] }), 'ids.0');
    expectFieldError(await member.post('/api/actions/bulk', { decision: 'approve', ids: [id, id] }), 'ids');
    expectFieldError(await member.post('/api/actions/bulk', { decision: 'approve' }), 'ids');
    const many = Array.from({ length: 201 }, () => crypto.randomUUID());
    expectFieldError(await member.post('/api/actions/bulk', { decision: 'dismiss', ids: many }), 'ids');
    expect((await viewer.post('/api/actions/bulk', { decision: 'approve', ids: [id] })).status).toBe(403);
    expect((await viewer.get(`/api/actions/${id}`)).body.status).toBe('pending');
  });

  it('filters by every action type the CMO loop writes', async () => {
    const { t, viewer } = await clients();
    const [campaign] = await suggestions(t, 1);
    const types = ['kill_variant', 'rewrite_email_subject', 'rewrite_sms_copy', 'change_delay'] as const;
    await testDb().transaction((s) =>
      recordActions(
        s,
        t.tenantId,
        {},
        types.map((actionType) => ({
          campaignId: campaign!,
          actionType,
          reason: `the loop's ${actionType}`,
          previousState: {},
          newState: {},
          status: 'pending' as const,
        })),
      ),
    );
    for (const type of types) {
      const page = await viewer.get(`/api/actions?action_type=${type}`);
      expect(page.status, type).toBe(200);
      expect(page.body.data.map((a: { action_type: string }) => a.action_type)).toEqual([type]);
    }
    expectFieldError(await viewer.get('/api/actions?action_type=rewrite_everything'), 'action_type');
  });

  it('exports the filtered ledger as CSV: escaped, budgets exact, who decided, every row however many', async () => {
    const { t, member, viewer, admin } = await clients();
    const tricky = 'Spring "Sale", =HYPERLINK(1)\nsecond line';
    const [odd] = await suggestions(t, 3, (i) => (i === 0 ? tricky : `Loser ${i}`));
    await testDb().session((s) =>
      s.query('UPDATE campaigns SET budget = 1234.56 WHERE tenant_id = $1 AND id = $2', [t.tenantId, odd]),
    );
    await admin.post('/api/cycles');
    const pending = await pendingIds(viewer);
    await member.post('/api/actions/bulk', { decision: 'dismiss', ids: pending.slice(0, 1) });

    const csv = await viewer.get('/api/actions/export?action_type=auto_pause');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="nightshift-actions-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const text = csv.body as string;
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'created_at,action_id,campaign_id,campaign,action_type,status,rule,reason,confidence,expected_impact,' +
        'previous_budget,new_budget,previous_state,new_state,executed_at,decided_by,rolled_back_at,rolled_back_by,error',
    );
    expect(text.endsWith('\r\n')).toBe(true);
    // The title quoted, its quotes doubled, its line break kept inside the quotes.
    expect(text).toContain(`,"Spring ""Sale"", =HYPERLINK(1)\nsecond line",auto_pause,`);
    expect(text).toContain(',1234.56,1234.56,');
    const dismissedLine = lines.find((line) => line.includes(pending[0]!))!;
    expect(dismissedLine).toMatch(/,dismissed,/);
    expect(dismissedLine).toMatch(/@example\.com/);
    // Every action the filter matches, as the list counts them (3 pauses suggested).
    expect(text.match(/,auto_pause,/g)).toHaveLength(3);
    const dismissedOnly = await viewer.get('/api/actions/export?status=dismissed');
    expect((dismissedOnly.body as string).trim().split('\r\n')).toHaveLength(2);

    expectFieldError(await viewer.get('/api/actions/export?status=done'), 'status');
    expectFieldError(await viewer.get('/api/actions/export?limit=5'), 'limit');
    expectFieldError(await viewer.get('/api/actions/export?from=2026-02-02&to=2026-02-01'), 'to');
    expect((await apiClient(api(), null).get('/api/actions/export')).status).toBe(401);
  });

  it('streams a ledger longer than one page', async () => {
    const { t, viewer } = await clients();
    const [campaign] = await suggestions(t, 1);
    await testDb().transaction((s) =>
      recordActions(
        s,
        t.tenantId,
        {},
        Array.from({ length: 1203 }, (_, i) => ({
          campaignId: campaign!,
          actionType: 'notify' as const,
          reason: `alert ${i}`,
          previousState: {},
          newState: {},
          status: 'executed' as const,
        })),
      ),
    );
    const csv = (await viewer.get('/api/actions/export')).body as string;
    const ids = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[1]);
    expect(ids).toHaveLength(1203);
    expect(new Set(ids).size).toBe(1203);
  });
});
