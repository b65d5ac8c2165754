// /api/segments over real HTTP: create (a name unique per workspace), read with the member count,
// list in cursor pages, change, delete (the contacts stay; a campaign's audience stays); the membership: add by id or email (idempotent, unknown ones
// reported), list the members, remove; the role each route needs; another tenant's segments and
// contacts out of reach.
import { describe, expect, it } from 'vitest';
import { createSecondWorkspace, createTenant } from './support/scenario.ts';
import { type ApiClient, apiClient, expectFieldError, idsByPage, useTestApi } from './support/test-api.ts';

describe('/api/segments', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();
  const create = (client: ApiClient, body: object) => client.post('/api/segments', body);
  const removeMembers = (client: ApiClient, id: string, body: unknown) =>
    client.request('DELETE', `/api/segments/${id}/members`, body);

  async function contacts(client: ApiClient, emails: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const email of emails) {
      const created = await client.post('/api/contacts', { email });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    return ids;
  }

  it('creates a segment in the tenant’s first workspace and reads it back with its member count', async () => {
    const { t, member, viewer } = await clients();
    const created = await create(member, {
      name: 'Trial users',
      description: 'Signed up, not paying',
      definition: { plan: 'trial' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/segments/${created.body.id}`);
    expect(created.body).toMatchObject({
      name: 'Trial users',
      workspace_id: t.workspaceId,
      description: 'Signed up, not paying',
      definition: { plan: 'trial' },
      member_count: 0,
    });
    expect(created.body).not.toHaveProperty('tenant_id');
    expect(created.body).not.toHaveProperty('sort_key');
    const read = await viewer.get(`/api/segments/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('keeps a name unique per workspace (409 naming name), on create and on rename', async () => {
    const { t, member } = await clients();
    const { body: first } = await create(member, { name: 'VIPs' });
    const again = await create(member, { name: 'VIPs' });
    expect(again.status).toBe(409);
    expect(again.body.errors[0]).toMatchObject({ field: 'name', in: 'body' });

    const other = await createSecondWorkspace(testDb(), t);
    const elsewhere = await create(member, { name: 'VIPs', workspace_id: other });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.workspace_id).toBe(other);

    const { body: second } = await create(member, { name: 'Regulars' });
    const rename = await member.patch(`/api/segments/${second.id}`, { name: 'VIPs' });
    expect(rename.status).toBe(409);
    expect(rename.body.errors[0].field).toBe('name');
    expect((await member.get(`/api/segments/${second.id}`)).body.name).toBe('Regulars');

    const renamed = await member.patch(`/api/segments/${first.id}`, { name: 'Very important', description: null });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Very important', description: null });
  });

  it('names the offending field of a bad create or change', async () => {
    const { member, viewer } = await clients();
    const theirs = await createTenant(testDb());
    const cases: [object, string][] = [
      [{}, 'name'],
      [{ name: '  ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 'x', definition: [1, 2] }, 'definition'],
      [{ name: 'x', member_count: 5 }, 'member_count'],
      [{ name: 'x', workspace_id: 'nope' }, 'workspace_id'],
      [{ name: 'x', workspace_id: theirs.workspaceId }, 'workspace_id'],
    ];
    for (const [body, field] of cases) {
      const response = await create(member, body);
      expectFieldError(response, field, JSON.stringify(body));
    }
    expect((await viewer.get('/api/segments')).body.data).toEqual([]);

    const { body: segment } = await create(member, { name: 'Kept' });
    expect((await member.patch(`/api/segments/${segment.id}`, {})).status).toBe(422);
    expect((await member.patch(`/api/segments/${segment.id}`, { workspace_id: theirs.workspaceId })).status).toBe(422);
    expect((await member.patch(`/api/segments/${segment.id}`, '{"name":')).status).toBe(400);
    expect((await member.patch(`/api/segments/${crypto.randomUUID()}`, { name: 'Ghost' })).status).toBe(404);
    expect((await viewer.get(`/api/segments/${segment.id}`)).body.name).toBe('Kept');
  });

  it('lists newest first in cursor pages, filtered by workspace', async () => {
    const { t, member, viewer } = await clients();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(member, { name: `S${i}` })).body.id);
    const other = await createSecondWorkspace(testDb(), t);
    const { body: elsewhere } = await create(member, { name: 'Elsewhere', workspace_id: other });

    expect(await idsByPage(viewer, '/api/segments', 2)).toEqual([elsewhere.id, ...[...ids].reverse()]);

    const filtered = await viewer.get(`/api/segments?workspace_id=${other}`);
    expect(filtered.body.data.map((s: { id: string }) => s.id)).toEqual([elsewhere.id]);
    const bad = await viewer.get('/api/segments?limit=500');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'limit', in: 'query' });
  });

  it('adds members by id and by email, once each, and reports those it cannot find', async () => {
    const { member, viewer } = await clients();
    const [ann, bob, cat] = await contacts(member, ['ann@example.com', 'Bob@Example.com', 'cat@example.com']);
    const { body: segment } = await create(member, { name: 'Members' });
    const path = `/api/segments/${segment.id}/members`;
    const ghost = crypto.randomUUID();

    const added = await member.post(path, {
      contact_ids: [ann, ghost, ann],
      emails: ['bob@EXAMPLE.com', 'nobody@example.com'],
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({
      added: 2,
      already_members: 0,
      not_found: { contact_ids: [ghost], emails: ['nobody@example.com'] },
      member_count: 2,
    });

    const again = await member.post(path, { contact_ids: [ann, cat], emails: ['ann@example.com'] });
    expect(again.body).toEqual({
      added: 1,
      already_members: 1,
      not_found: { contact_ids: [], emails: [] },
      member_count: 3,
    });
    expect((await viewer.get(`/api/segments/${segment.id}`)).body.member_count).toBe(3);
    const listed = await viewer.get('/api/segments');
    expect(listed.body.data[0]).toMatchObject({ id: segment.id, member_count: 3 });

    const page1 = await viewer.get(`${path}?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((c: { id: string }) => c.id)).toEqual([cat, bob]);
    expect(page1.body.data[0]).toMatchObject({ email: 'cat@example.com', status: 'active' });
    const page2 = await viewer.get(`${path}?limit=2&cursor=${page1.body.next_cursor}`);
    expect(page2.body.data.map((c: { id: string }) => c.id)).toEqual([ann]);
    expect(page2.body.next_cursor).toBeNull();
    const searched = await viewer.get(`${path}?q=BOB`);
    expect(searched.body.data.map((c: { id: string }) => c.id)).toEqual([bob]);
  });

  it('removes members, leaving the contacts, and ignores ids that are not members', async () => {
    const { member, viewer } = await clients();
    const [ann, bob] = await contacts(member, ['ann@example.com', 'bob@example.com']);
    const { body: segment } = await create(member, { name: 'Shrinking' });
    await member.post(`/api/segments/${segment.id}/members`, { contact_ids: [ann, bob] });

    const removed = await removeMembers(member, segment.id, { contact_ids: [ann, crypto.randomUUID()] });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ removed: 1, member_count: 1 });
    const again = await removeMembers(member, segment.id, { contact_ids: [ann] });
    expect(again.body).toEqual({ removed: 0, member_count: 1 });
    const members = await viewer.get(`/api/segments/${segment.id}/members`);
    expect(members.body.data.map((c: { id: string }) => c.id)).toEqual([bob]);
    expect((await viewer.get(`/api/contacts/${ann}`)).status).toBe(200);
  });

  it('deletes a segment and its memberships, keeps the contacts, and keeps a campaign’s audience', async () => {
    const { t, member, viewer } = await clients();
    const [ann] = await contacts(member, ['ann@example.com']);
    const { body: segment } = await create(member, { name: 'Short-lived' });
    await member.post(`/api/segments/${segment.id}/members`, { contact_ids: [ann] });
    expect((await viewer.delete(`/api/segments/${segment.id}`)).status).toBe(403);
    const deleted = await member.delete(`/api/segments/${segment.id}`);
    expect(deleted.status).toBe(204);
    expect((await viewer.get(`/api/segments/${segment.id}`)).status).toBe(404);
    expect((await viewer.get(`/api/contacts/${ann}`)).status).toBe(200);
    expect((await member.delete(`/api/segments/${segment.id}`)).status).toBe(404);
    expect((await member.delete('/api/segments/not-an-id')).status).toBe(404);

    const { body: audience } = await create(member, { name: 'Audience' });
    await member.post(`/api/segments/${audience.id}/members`, { contact_ids: [ann] });
    await testDb().session((s) =>
      s.query("INSERT INTO campaigns (tenant_id, workspace_id, title, segment_id) VALUES ($1, $2, 'Spring', $3)", [
        t.tenantId,
        t.workspaceId,
        audience.id,
      ]),
    );
    const refused = await member.delete(`/api/segments/${audience.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/audience of campaign "Spring"/);
    expect((await viewer.get(`/api/segments/${audience.id}`)).body.member_count).toBe(1);
  });

  it('refuses bad membership bodies with the field named', async () => {
    const { member } = await clients();
    const { body: segment } = await create(member, { name: 'Strict' });
    const path = `/api/segments/${segment.id}/members`;
    const cases: [unknown, string][] = [
      [{}, 'contact_ids'],
      [{ contact_ids: [], emails: [] }, 'contact_ids'],
      [{ contact_ids: ['nope'] }, 'contact_ids.0'],
      [{ emails: [''] }, 'emails.0'],
      [{ contact_ids: Array.from({ length: 10_001 }, () => crypto.randomUUID()) }, 'contact_ids'],
      [
        {
          contact_ids: Array.from({ length: 6_000 }, () => crypto.randomUUID()),
          emails: Array.from({ length: 5_000 }, (_, i) => `p${i}@example.com`),
        },
        'contact_ids',
      ],
      [{ contact_id: crypto.randomUUID() }, 'contact_id'],
    ];
    for (const [body, field] of cases) {
      const response = await member.post(path, body);
      expectFieldError(response, field);
    }
    expect((await removeMembers(member, segment.id, { contact_ids: [] })).status).toBe(422);
    expect((await removeMembers(member, segment.id, { emails: ['a@example.com'] })).status).toBe(422);
    expect((await removeMembers(member, segment.id, undefined)).status).toBe(422);
    expect((await member.post(path, '{"contact_ids": [')).status).toBe(400);
    expect((await member.get(`/api/segments/${segment.id}`)).body.member_count).toBe(0);
  });

  it('lets viewers read but not write; no token is a 401', async () => {
    const { member, viewer } = await clients();
    const { body: segment } = await create(member, { name: 'Guarded' });
    const [ann] = await contacts(member, ['ann@example.com']);
    const path = `/api/segments/${segment.id}`;
    expect((await create(viewer, { name: 'Nope' })).status).toBe(403);
    expect((await viewer.patch(path, { name: 'Nope' })).status).toBe(403);
    expect((await viewer.post(`${path}/members`, { contact_ids: [ann] })).status).toBe(403);
    expect((await removeMembers(viewer, segment.id, { contact_ids: [ann] })).status).toBe(403);
    expect((await viewer.get(`${path}/members`)).status).toBe(200);
    expect((await viewer.get(path)).body).toMatchObject({ name: 'Guarded', member_count: 0 });

    const anonymous = apiClient(api(), null);
    for (const response of [
      await anonymous.get('/api/segments'),
      await anonymous.get(path),
      await anonymous.get(`${path}/members`),
      await anonymous.post('/api/segments', { name: 'x' }),
      await anonymous.patch(path, { name: 'x' }),
      await anonymous.delete(path),
      await anonymous.post(`${path}/members`, { contact_ids: [ann] }),
      await removeMembers(anonymous, segment.id, { contact_ids: [ann] }),
    ]) {
      expect(response.status).toBe(401);
    }
  });

  it('keeps another tenant’s segments and contacts out of reach', async () => {
    const a = await clients();
    const b = await clients();
    const { body: theirs } = await create(b.member, { name: 'Theirs' });
    const [theirContact] = await contacts(b.member, ['shared@example.com']);
    const { body: ours } = await create(a.member, { name: 'Ours' });
    const [ourContact] = await contacts(a.member, ['shared@example.com']);

    const path = `/api/segments/${theirs.id}`;
    expect((await a.viewer.get(path)).status).toBe(404);
    expect((await a.member.patch(path, { name: 'Mine' })).status).toBe(404);
    expect((await a.viewer.get(`${path}/members`)).status).toBe(404);
    expect((await a.member.post(`${path}/members`, { contact_ids: [ourContact] })).status).toBe(404);
    expect((await removeMembers(a.member, theirs.id, { contact_ids: [theirContact] })).status).toBe(404);
    expect((await a.member.delete(path)).status).toBe(404);
    expect((await a.viewer.get('/api/segments')).body.data.map((s: { id: string }) => s.id)).toEqual([ours.id]);

    // Their contact is not found in our segment; the same email finds our own contact only.
    const added = await a.member.post(`/api/segments/${ours.id}/members`, {
      contact_ids: [theirContact],
      emails: ['SHARED@example.com'],
    });
    expect(added.body).toMatchObject({ added: 1, not_found: { contact_ids: [theirContact], emails: [] } });
    const members = await a.viewer.get(`/api/segments/${ours.id}/members`);
    expect(members.body.data.map((c: { id: string }) => c.id)).toEqual([ourContact]);
    expect((await b.viewer.get(path)).body.member_count).toBe(0);
  });
});
