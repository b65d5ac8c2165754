// /api/campaigns over real HTTP: create, read, list in cursor pages with filters, update with
// optimistic concurrency (ETag / version → 409, none → 428), the autopilot switch, archive, and the
// role each needs.
import { describe, expect, it } from 'vitest';
import { type ApiClient, expectFieldError, idsByPage, tokenFor, useTestApi } from './support/test-api.ts';

describe('/api/campaigns', () => {
  const { db, api, tenantClients: clients } = useTestApi();
  const create = (client: ApiClient, body: object) => client.post('/api/campaigns', body);

  it('creates a campaign in the tenant’s first workspace and reads it back with an ETag', async () => {
    const { t, member, viewer } = await clients();
    const created = await create(member, { title: 'Spring launch', budget: 120.5, channels: ['email', 'meta_ads'] });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/api/campaigns/${created.body.id}`);
    expect(created.body).toMatchObject({
      title: 'Spring launch',
      workspace_id: t.workspaceId,
      status: 'draft',
      budget: 120.5,
      channels: ['email', 'meta_ads'],
      autopilot_enabled: false,
      version: 1,
      totals: { spend: 0, revenue: 0, clicks: 0 },
    });
    expect(created.body).not.toHaveProperty('tenant_id');
    expect(created.body).not.toHaveProperty('sort_key');

    const read = await viewer.get(`/api/campaigns/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('shows every column as JSON shows it: timestamps in UTC to the millisecond, money and totals as numbers', async () => {
    const { t, member, viewer } = await clients();
    const { body: created } = await create(member, {
      title: 'Shown "exactly" \\ as typed',
      description: 'Ünïcode ✓, a tab\t, a line\n and a \u0001',
      budget: 1234.5,
      max_budget: 0.1,
      channels: ['email'],
      status: 'scheduled',
      scheduled_at: '2026-12-01T09:30:00.250+02:00',
      cta_url: 'https://example.com/a?b=c&d=e',
    });
    // Microseconds the API never writes itself, and stats the rollup sums.
    await db().session((s) =>
      s.query(
        "UPDATE campaigns SET started_at = '2026-03-01 10:00:00.123987+00', last_optimization_at = '1999-12-31 23:59:59.999999+00' WHERE tenant_id = $1 AND id = $2",
        [t.tenantId, created.id],
      ),
    );
    const stats = { campaign_id: created.id, channel: 'email', sends: 3, replies: 1, spend: 10.1, revenue: 0.2 };
    await member.post('/api/stats', {
      rows: [
        { ...stats, stat_date: '2026-03-01' },
        { ...stats, stat_date: '2026-03-02' },
      ],
    });

    const read = await viewer.get(`/api/campaigns/${created.id}`);
    expect(read.headers.get('content-type')).toBe('application/json');
    // Byte for byte what JSON.stringify writes (the server sends the JSON its query built).
    const raw = await fetch(`${api().url}/api/campaigns/${created.id}`, {
      headers: { authorization: `Bearer ${await tokenFor(db(), t.tenantId, 'viewer')}` },
    });
    expect(await raw.text()).toBe(JSON.stringify(read.body));
    expect(Object.keys(read.body)).toEqual(Object.keys(created));
    expect(read.body).toEqual({
      ...created,
      started_at: '2026-03-01T10:00:00.123Z',
      last_optimization_at: '1999-12-31T23:59:59.999Z',
      totals: {
        spend: 20.2,
        revenue: 0.4,
        impressions: 0,
        clicks: 0,
        conversions: 0,
        sends: 6,
        opens: 0,
        replies: 2,
        meetings: 0,
      },
    });
    expect(created).toMatchObject({
      title: 'Shown "exactly" \\ as typed',
      description: 'Ünïcode ✓, a tab\t, a line\n and a \u0001',
      budget: 1234.5,
      max_budget: 0.1,
      scheduled_at: '2026-12-01T07:30:00.250Z',
      launched_by: null,
      completed_at: null,
      segment_id: null,
    });
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const list = await fetch(`${api().url}/api/campaigns`, {
      headers: { authorization: `Bearer ${await tokenFor(db(), t.tenantId, 'viewer')}` },
    });
    expect(await list.text()).toBe(JSON.stringify({ data: [read.body], next_cursor: null }));
  });

  it('lists newest first in cursor pages that cover every campaign once, with filters', async () => {
    const { member, viewer } = await clients();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const status = i % 2 === 0 ? 'active' : 'paused';
      ids.push((await create(member, { title: `C${i}`, status })).body.id);
    }
    expect(await idsByPage(viewer, '/api/campaigns', 3)).toEqual([...ids].reverse());

    const paused = await viewer.get('/api/campaigns?status=paused');
    expect(paused.body.data.map((c: { id: string }) => c.id)).toEqual([ids[5], ids[3], ids[1]]);
    expect(paused.body.next_cursor).toBeNull();
  });

  it('refuses bad list parameters with the parameter named', async () => {
    const { viewer } = await clients();
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['status=bogus', 'status'],
      ['cursor=not-a-cursor', 'cursor'],
      ['colour=red', 'colour'],
    ] as const) {
      const response = await viewer.get(`/api/campaigns?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.body.errors[0]).toMatchObject({ field, in: 'query' });
    }
  });

  it('updates with If-Match or body.version; a stale version is a 409 and changes nothing; none is a 428', async () => {
    const { member } = await clients();
    const { body: campaign } = await create(member, { title: 'Versioned', budget: 100 });
    const path = `/api/campaigns/${campaign.id}`;

    const first = await member.patch(path, { budget: 150 }, { 'if-match': '"1"' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ budget: 150, version: 2 });
    expect(first.headers.get('etag')).toBe('"2"');

    const stale = await member.patch(path, { budget: 999 }, { 'if-match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    expect(stale.headers.get('etag')).toBe('"2"');
    expect((await member.get(path)).body).toMatchObject({ budget: 150, version: 2 });

    const byBody = await member.patch(path, { version: 2, title: 'Renamed' });
    expect(byBody.body).toMatchObject({ title: 'Renamed', version: 3 });

    const unconditional = await member.patch(path, { title: 'No version' });
    expect(unconditional.status).toBe(428);
    expect(unconditional.body.errors[0]).toMatchObject({ field: 'If-Match', in: 'header' });
  });

  it('names the offending field of a bad create or update, and writes nothing', async () => {
    const { member, viewer } = await clients();
    const cases: [object, string][] = [
      [{}, 'title'],
      [{ title: '' }, 'title'],
      [{ title: 'x', budget: -1 }, 'budget'],
      [{ title: 'x', budget: '10' }, 'budget'],
      [{ title: 'x', status: 'sending' }, 'status'],
      [{ title: 'x', status: 'scheduled' }, 'scheduled_at'],
      [{ title: 'x', channels: ['Email!'] }, 'channels.0'],
      [{ title: 'x', cta_url: 'javascript:alert(1)' }, 'cta_url'],
      [{ title: 'x', tenant_id: crypto.randomUUID() }, 'tenant_id'],
      [{ title: 'x', segment_id: crypto.randomUUID() }, 'segment_id'],
      [{ title: 'x', workspace_id: crypto.randomUUID() }, 'workspace_id'],
    ];
    for (const [body, field] of cases) {
      const response = await create(member, body);
      expectFieldError(response, field, JSON.stringify(body));
    }
    expect((await viewer.get('/api/campaigns')).body.data).toEqual([]);

    const { body: campaign } = await create(member, { title: 'Kept' });
    const emptyPatch = await member.patch(`/api/campaigns/${campaign.id}`, { version: 1 });
    expect(emptyPatch.status).toBe(422);
    const malformed = await member.patch(`/api/campaigns/${campaign.id}`, '{"title": ', { 'if-match': '"1"' });
    expect(malformed.status).toBe(400);
    expect((await viewer.get(`/api/campaigns/${campaign.id}`)).body).toMatchObject({ title: 'Kept', version: 1 });

    // Scheduled needs a time: the one sent, or the one the campaign already has.
    const path = `/api/campaigns/${campaign.id}`;
    expectFieldError(await member.patch(path, { status: 'scheduled', version: 1 }), 'scheduled_at');
    expectFieldError(await member.patch(path, { status: 'scheduled', scheduled_at: null, version: 1 }), 'scheduled_at');
    expect((await member.patch(path, { scheduled_at: '2030-01-01T00:00:00Z', version: 1 })).status).toBe(200);
    const scheduled = await member.patch(path, { status: 'scheduled', version: 2 });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', scheduled_at: '2030-01-01T00:00:00.000Z', version: 3 });
  });

  it('switches autopilot (admins only) and archives instead of deleting', async () => {
    const { member, admin, viewer } = await clients();
    const { body: campaign } = await create(member, { title: 'Pilot' });
    const path = `/api/campaigns/${campaign.id}`;
    expect((await member.put(`${path}/autopilot`, { enabled: true })).status).toBe(403);
    const on = await admin.put(`${path}/autopilot`, { enabled: true });
    expect(on.body).toMatchObject({ autopilot_enabled: true, version: 2 });

    expect((await viewer.delete(path)).status).toBe(403);
    const archived = await member.delete(path);
    expect(archived.status).toBe(200);
    expect(archived.body.status).toBe('archived');
    expect((await viewer.get(path)).body.status).toBe('archived');
  });

  it('lets viewers read but not write, and answers 404 for an unknown or malformed id', async () => {
    const { viewer } = await clients();
    expect((await viewer.post('/api/campaigns', { title: 'x' })).status).toBe(403);
    expect((await viewer.get(`/api/campaigns/${crypto.randomUUID()}`)).status).toBe(404);
    const malformed = await viewer.get('/api/campaigns/not-an-id');
    expect(malformed.status).toBe(404);
    expect(malformed.body.errors[0]).toMatchObject({ field: 'id', in: 'path' });
  });
});
