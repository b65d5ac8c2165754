// The caller's tenant, workspaces and API keys over HTTP: reads for viewers, changes for admins,
// guardrails validated on write, other tenants invisible (404), keys shown once and revocable.
import { describe, expect, it } from 'vitest';
import { createTenant } from './support/scenario.ts';
import { apiClient, expectFieldError, useTestApi } from './support/test-api.ts';

describe('/api/tenants, /api/workspaces, /api/api-keys', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();

  it('shows the tenant with the guardrails in force and lets an admin change them', async () => {
    const { t, viewer, member, admin } = await clients();
    const read = await viewer.get(`/api/tenants/${t.tenantId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: t.tenantId,
      autonomous_enabled: true,
      guardrails: { min_spend_before_pause: 50 },
      cmo_loop: { kill_threshold: 0.05, min_variant_sends: 200, stale_after_days: 14 },
    });
    expect((await viewer.get('/api/tenants')).body.data.map((x: { id: string }) => x.id)).toEqual([t.tenantId]);

    const path = `/api/tenants/${t.tenantId}`;
    expect((await member.patch(path, { autonomous_enabled: false })).status).toBe(403);
    const changed = await admin.patch(path, {
      autonomous_enabled: false,
      timezone: 'Europe/Berlin',
      guardrails: { min_spend_before_pause: 80, cooldown_hours: 12 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      autonomous_enabled: false,
      timezone: 'Europe/Berlin',
      guardrails: { min_spend_before_pause: 80, cooldown_hours: 12, min_scale_confidence: 0.75 },
    });
    // The loop's thresholds are kept apart from the guardrails: changing one leaves the other.
    const loop = await admin.patch(path, { cmo_loop: { kill_threshold: 0.02, max_delay_hours: 96 } });
    expect(loop.body).toMatchObject({
      guardrails: { min_spend_before_pause: 80, cooldown_hours: 12 },
      cmo_loop: { kill_threshold: 0.02, max_delay_hours: 96, min_delay_hours: 24 },
    });

    // null is a value of its own: no cap on the budget the engine may add in a day.
    const uncapped = await admin.patch(path, {
      guardrails: { min_spend_before_pause: 80, cooldown_hours: 12, max_daily_budget_increase: null },
    });
    expect(uncapped.body.guardrails).toMatchObject({ max_daily_budget_increase: null, min_spend_before_pause: 80 });
    expect((await viewer.get(path)).body.guardrails.max_daily_budget_increase).toBeNull();

    for (const [body, field] of [
      [{ guardrails: { min_spend_before_pause: -1 } }, 'guardrails.min_spend_before_pause'],
      [{ guardrails: { min_scale_confidence: 2 } }, 'guardrails.min_scale_confidence'],
      [{ guardrails: { made_up: 1 } }, 'guardrails.made_up'],
      [{ cmo_loop: { kill_threshold: 0.9 } }, 'cmo_loop.kill_threshold'],
      [{ cmo_loop: { min_delay_hours: 200, max_delay_hours: 100 } }, 'cmo_loop.min_delay_hours'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ currency: 'usd' }, 'currency'],
      [{ slug: 'renamed' }, 'slug'],
      [{}, 'body'],
    ] as const) {
      const refused = await admin.patch(path, body);
      expectFieldError(refused, field);
    }
    expect((await viewer.get(path)).body.guardrails.min_spend_before_pause).toBe(80);
    expect((await viewer.get(path)).body.cmo_loop.kill_threshold).toBe(0.02);
  });

  it('answers 404 for another tenant, whatever the role', async () => {
    const { admin } = await clients();
    const other = await createTenant(testDb());
    expect((await admin.get(`/api/tenants/${other.tenantId}`)).status).toBe(404);
    expect((await admin.patch(`/api/tenants/${other.tenantId}`, { name: 'Taken over' })).status).toBe(404);
    expect((await admin.get(`/api/workspaces/${other.workspaceId}`)).status).toBe(404);
    expect((await admin.patch(`/api/workspaces/${other.workspaceId}`, { name: 'x' })).status).toBe(404);
    const [row] = await testDb().session((s) =>
      s.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [other.tenantId]),
    );
    expect(row!.name).not.toBe('Taken over');
  });

  it('creates and renames workspaces; a taken slug is a 409 naming the slug', async () => {
    const { t, viewer, member, admin } = await clients();
    expect((await member.post('/api/workspaces', { slug: 'emea', name: 'EMEA' })).status).toBe(403);
    const created = await admin.post('/api/workspaces', { slug: 'emea', name: 'EMEA' });
    expect(created.status).toBe(201);
    const duplicate = await admin.post('/api/workspaces', { slug: 'emea', name: 'Again' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors[0].field).toBe('slug');
    const renamed = await admin.patch(`/api/workspaces/${created.body.id}`, { name: 'Europe' });
    expect(renamed.body).toMatchObject({ slug: 'emea', name: 'Europe' });
    const listed = await viewer.get('/api/workspaces');
    expect(listed.body.data.map((w: { id: string }) => w.id)).toEqual([t.workspaceId, created.body.id]);
  });

  it('creates an API key shown once, which then authenticates with its role until revoked', async () => {
    const { admin, member } = await clients();
    expect((await member.post('/api/api-keys', { name: 'etl', role: 'member' })).status).toBe(403);
    const created = await admin.post('/api/api-keys', { name: 'etl', role: 'member' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^nsk_/);
    const listed = await admin.get('/api/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect(listed.body.data[0]).toMatchObject({ id: created.body.id, role: 'member', revoked_at: null });

    const machine = apiClient(api(), created.body.key);
    expect((await machine.get('/api/workspaces')).status).toBe(200);
    expect((await machine.post('/api/workspaces', { slug: 'x', name: 'x' })).status).toBe(403);
    const viaHeader = await fetch(`${api().url}/api/workspaces`, { headers: { apikey: created.body.key } });
    expect(viaHeader.status).toBe(200);

    const revoked = await admin.delete(`/api/api-keys/${created.body.id}`);
    expect(revoked.body.revoked_at).not.toBeNull();
    expect((await machine.get('/api/workspaces')).status).toBe(401);
  });
});
