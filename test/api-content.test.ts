// /api/content over real HTTP: assets (create in the campaign's or the first workspace, read, list
// in cursor pages with filters, change, archive) and their variants (labels given out A, B, ...,
// unique per asset; text changed; killed with a reason, revived; counters read-only), the role each
// route needs, and another tenant's campaigns, assets and variants out of reach.
import { describe, expect, it } from 'vitest';
import { createSecondWorkspace } from './support/scenario.ts';
import { type ApiClient, apiClient, expectFieldError, idsByPage, useTestApi } from './support/test-api.ts';

describe('/api/content', () => {
  const { db: testDb, api, tenantClients: clients } = useTestApi();
  const createAsset = (client: ApiClient, body: object) => client.post('/api/content/assets', body);
  const createVariant = (client: ApiClient, assetId: string, body: object = {}) =>
    client.post(`/api/content/assets/${assetId}/variants`, body);
  const campaign = async (client: ApiClient, body: object = {}) => {
    const created = await client.post('/api/campaigns', { title: 'Campaign', ...body });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  describe('assets', () => {
    it('creates an asset in its campaign’s workspace (or the first one) and reads it back', async () => {
      const { t, member, viewer } = await clients();
      const other = await createSecondWorkspace(testDb(), t);
      const campaignId = await campaign(member, { workspace_id: other });

      const created = await createAsset(member, {
        name: 'Welcome email',
        asset_type: 'email',
        campaign_id: campaignId,
        channel: 'email',
        step_index: 1,
        delay_hours: 24.5,
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe(`/api/content/assets/${created.body.id}`);
      expect(created.body).toMatchObject({
        name: 'Welcome email',
        asset_type: 'email',
        campaign_id: campaignId,
        workspace_id: other,
        channel: 'email',
        step_index: 1,
        delay_hours: 24.5,
        status: 'active',
        stale_flagged_at: null,
      });
      expect(created.body).not.toHaveProperty('tenant_id');
      expect(created.body).not.toHaveProperty('sort_key');
      const read = await viewer.get(`/api/content/assets/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const loose = await createAsset(member, { name: 'Landing', asset_type: 'landing_page' });
      expect(loose.body).toMatchObject({
        workspace_id: t.workspaceId,
        campaign_id: null,
        step_index: 0,
        delay_hours: 0,
      });
    });

    it('refuses a campaign that is not the tenant’s (422 naming campaign_id) and other bad fields', async () => {
      const { t, member, viewer } = await clients();
      const b = await clients();
      const theirCampaign = await campaign(b.member);
      const ourCampaign = await campaign(member);
      const other = await createSecondWorkspace(testDb(), t);
      const cases: [object, string][] = [
        [{ name: 'x', asset_type: 'email', campaign_id: theirCampaign }, 'campaign_id'],
        [{ name: 'x', asset_type: 'email', campaign_id: crypto.randomUUID() }, 'campaign_id'],
        [{ name: 'x', asset_type: 'email', campaign_id: ourCampaign, workspace_id: other }, 'campaign_id'],
        [{ name: 'x', asset_type: 'email', workspace_id: b.t.workspaceId }, 'workspace_id'],
        [{ asset_type: 'email' }, 'name'],
        [{ name: 'x' }, 'asset_type'],
        [{ name: 'x', asset_type: 'fax' }, 'asset_type'],
        [{ name: 'x', asset_type: 'sms', channel: 'SMS!' }, 'channel'],
        [{ name: 'x', asset_type: 'sms', delay_hours: -1 }, 'delay_hours'],
        [{ name: 'x', asset_type: 'sms', delay_hours: 1.234 }, 'delay_hours'],
        [{ name: 'x', asset_type: 'sms', step_index: 1.5 }, 'step_index'],
        [{ name: 'x', asset_type: 'sms', stale_flagged_at: new Date().toISOString() }, 'stale_flagged_at'],
      ];
      for (const [body, field] of cases) {
        const response = await createAsset(member, body);
        expectFieldError(response, field, JSON.stringify(body));
      }
      expect((await member.post('/api/content/assets', '{"name": ')).status).toBe(400);
      expect((await viewer.get('/api/content/assets')).body.data).toEqual([]);
    });

    it('lists newest first in cursor pages, filtered by campaign, type and status', async () => {
      const { member, viewer } = await clients();
      const c1 = await campaign(member);
      const c2 = await campaign(member);
      const ids: string[] = [];
      const specs = [
        { name: 'E1', asset_type: 'email', campaign_id: c1 },
        { name: 'S1', asset_type: 'sms', campaign_id: c1 },
        { name: 'E2', asset_type: 'email', campaign_id: c2 },
        { name: 'V1', asset_type: 'voice', campaign_id: c1 },
        { name: 'Ad', asset_type: 'ad' },
      ];
      for (const spec of specs) ids.push((await createAsset(member, spec)).body.id);

      expect(await idsByPage(viewer, '/api/content/assets', 2)).toEqual([...ids].reverse());

      const names = async (query: string) =>
        (await viewer.get(`/api/content/assets?${query}`)).body.data.map((a: { name: string }) => a.name);
      expect(await names(`campaign_id=${c1}`)).toEqual(['V1', 'S1', 'E1']);
      expect(await names('asset_type=email')).toEqual(['E2', 'E1']);
      expect(await names(`campaign_id=${c1}&asset_type=email`)).toEqual(['E1']);
      await member.patch(`/api/content/assets/${ids[4]}`, { status: 'archived' });
      expect(await names('status=archived')).toEqual(['Ad']);

      for (const [query, field] of [
        ['asset_type=fax', 'asset_type'],
        ['campaign_id=nope', 'campaign_id'],
        ['limit=0', 'limit'],
      ] as const) {
        const response = await viewer.get(`/api/content/assets?${query}`);
        expect(response.status, query).toBe(422);
        expect(response.body.errors[0]).toMatchObject({ field, in: 'query' });
      }
    });

    it('changes an asset: its fields, its campaign (the tenant’s, same workspace, or none), archive', async () => {
      const { t, member, viewer } = await clients();
      const b = await clients();
      const ours = await campaign(member);
      const elsewhere = await campaign(member, { workspace_id: await createSecondWorkspace(testDb(), t) });
      const theirs = await campaign(b.member);
      const { body: asset } = await createAsset(member, { name: 'Step', asset_type: 'sms' });
      const path = `/api/content/assets/${asset.id}`;

      const changed = await member.patch(path, { name: 'Step one', campaign_id: ours, delay_hours: 2 });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ name: 'Step one', campaign_id: ours, delay_hours: 2, asset_type: 'sms' });

      for (const campaignId of [theirs, elsewhere, crypto.randomUUID()]) {
        const refused = await member.patch(path, { campaign_id: campaignId });
        expect(refused.status).toBe(422);
        expect(refused.body.errors[0].field).toBe('campaign_id');
      }
      expect((await viewer.get(path)).body.campaign_id).toBe(ours);

      const detached = await member.patch(path, { campaign_id: null, status: 'archived' });
      expect(detached.body).toMatchObject({ campaign_id: null, status: 'archived' });
      expect((await member.patch(path, {})).status).toBe(422);
      expect((await member.patch(path, { workspace_id: t.workspaceId })).status).toBe(422);
      expect((await member.patch(path, { status: 'deleted' })).status).toBe(422);
      expect((await member.patch(`/api/content/assets/${crypto.randomUUID()}`, { name: 'x' })).status).toBe(404);
      expect((await member.delete(path)).status).toBe(404);
    });
  });

  describe('variants', () => {
    it('gives out labels A, B, ... and keeps a label unique per asset (409 naming variant_label)', async () => {
      const { member, viewer } = await clients();
      const { body: asset } = await createAsset(member, { name: 'Email', asset_type: 'email' });
      const { body: other } = await createAsset(member, { name: 'Other', asset_type: 'email' });

      const a = await createVariant(member, asset.id, { subject: 'Hello', body: 'Hi {{first_name}}' });
      expect(a.status).toBe(201);
      expect(a.headers.get('location')).toBe(`/api/content/variants/${a.body.id}`);
      expect(a.body).toMatchObject({
        asset_id: asset.id,
        variant_label: 'A',
        subject: 'Hello',
        body: 'Hi {{first_name}}',
        status: 'active',
        killed_at: null,
        kill_reason: null,
        stats: {
          sends: 0,
          opens: 0,
          clicks: 0,
          replies: 0,
          meetings: 0,
          conversions: 0,
          reply_delays: {},
          updated_at: null,
        },
      });
      const c = await createVariant(member, asset.id, { variant_label: 'C', subject: 'Third' });
      expect(c.body.variant_label).toBe('C');
      const b = await createVariant(member, asset.id, { subject: 'Second' });
      expect(b.body.variant_label).toBe('B');
      const d = await createVariant(member, asset.id);
      expect(d.body.variant_label).toBe('D');

      const taken = await createVariant(member, asset.id, { variant_label: 'C' });
      expect(taken.status).toBe(409);
      expect(taken.body.errors[0]).toMatchObject({ field: 'variant_label', in: 'body' });
      const relabel = await member.patch(`/api/content/variants/${d.body.id}`, { variant_label: 'A' });
      expect(relabel.status).toBe(409);
      expect(relabel.body.errors[0].field).toBe('variant_label');
      // Another asset has labels of its own.
      expect((await createVariant(member, other.id, { variant_label: 'C' })).status).toBe(201);

      const listed = await viewer.get(`/api/content/assets/${asset.id}/variants`);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((v: { variant_label: string }) => v.variant_label)).toEqual(['A', 'C', 'B', 'D']);
      // Listed with its chance of being the step's best: unknown while nothing was sent.
      expect(listed.body.data[0]).toEqual({ ...a.body, probability_best: null });
      expect((await viewer.get(a.headers.get('location')!)).body).toEqual(a.body);
    });

    it('refuses copy that is not a template the delivery worker can render, naming the field', async () => {
      const { member } = await clients();
      const { body: asset } = await createAsset(member, { name: 'Email', asset_type: 'email' });
      const cases: [Record<string, unknown>, string][] = [
        [{ subject: 'Hi {{ first_name ', body: 'x' }, 'subject'],
        [{ subject: 'Hi', body: 'Dear {{ frist_name }}' }, 'body'],
        [{ sms_copy: 'Hi {% if %}' }, 'sms_copy'],
      ];
      for (const [body, field] of cases) {
        expectFieldError(await createVariant(member, asset.id, body), field, JSON.stringify(body));
      }
      const { body: good } = await createVariant(member, asset.id, {
        subject: 'Hi {{ first_name | default: "there" }}',
        body: 'At {{ company }}?',
      });
      expectFieldError(await member.patch(`/api/content/variants/${good.id}`, { body: '{{ nope }}' }), 'body', 'patch');
      expect((await member.get(`/api/content/variants/${good.id}`)).body.body).toBe('At {{ company }}?');
    });

    it('changes a variant’s text, kills it with a reason, revives it; counters stay read-only', async () => {
      const { t, member, viewer } = await clients();
      const { body: asset } = await createAsset(member, { name: 'SMS', asset_type: 'sms' });
      const { body: variant } = await createVariant(member, asset.id, { sms_copy: 'Sale today' });
      const path = `/api/content/variants/${variant.id}`;

      const edited = await member.patch(path, { sms_copy: 'Sale ends today', subject: null });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ sms_copy: 'Sale ends today', status: 'active' });

      const noReason = await member.patch(path, { status: 'killed' });
      expect(noReason.status).toBe(422);
      expect(noReason.body.errors[0]).toMatchObject({ field: 'kill_reason', in: 'body' });
      const reasonWhileActive = await member.patch(path, { kill_reason: 'why not' });
      expect(reasonWhileActive.status).toBe(422);
      expect(reasonWhileActive.body.errors[0].field).toBe('kill_reason');
      expect((await viewer.get(`/api/content/assets/${asset.id}/variants`)).body.data[0].status).toBe('active');

      const killed = await member.patch(path, { status: 'killed', kill_reason: 'Lost to B' });
      expect(killed.status).toBe(200);
      expect(killed.body).toMatchObject({ status: 'killed', kill_reason: 'Lost to B' });
      expect(Date.parse(killed.body.killed_at)).not.toBeNaN();

      // A new reason keeps the time of the kill; clearing the reason of a killed variant is refused.
      const reworded = await member.patch(path, { kill_reason: 'Lost to B (p < 0.01)' });
      expect(reworded.body).toMatchObject({ kill_reason: 'Lost to B (p < 0.01)', killed_at: killed.body.killed_at });
      expect((await member.patch(path, { kill_reason: null })).status).toBe(422);

      const revived = await member.patch(path, { status: 'active' });
      expect(revived.body).toMatchObject({ status: 'active', killed_at: null, kill_reason: null });

      for (const field of ['sends', 'opens', 'clicks', 'stats', 'killed_at']) {
        const response = await member.patch(path, { [field]: 5 });
        expect(response.status, field).toBe(422);
        expect(response.body.errors[0].field, field).toBe(field);
      }
      // Ingestion writes the counters; the API shows them.
      await testDb().session((s) =>
        s.query('UPDATE content_variants SET sends = 120, opens = 48, replies = 3 WHERE tenant_id = $1 AND id = $2', [
          t.tenantId,
          variant.id,
        ]),
      );
      const counted = await viewer.get(`/api/content/assets/${asset.id}/variants`);
      expect(counted.body.data[0].stats).toEqual({
        sends: 120,
        opens: 48,
        clicks: 0,
        replies: 3,
        meetings: 0,
        conversions: 0,
        reply_delays: {},
        updated_at: null,
      });

      expect((await member.patch(path, {})).status).toBe(422);
      expect((await member.patch(path, { status: 'paused' })).status).toBe(422);
      expect((await member.patch(path, { variant_label: '' })).status).toBe(422);
      expect((await member.patch(path, '{"status":')).status).toBe(400);
      expect((await member.patch(`/api/content/variants/${crypto.randomUUID()}`, { body: 'x' })).status).toBe(404);
      expect((await createVariant(member, crypto.randomUUID(), {})).status).toBe(404);
      expect((await viewer.get(`/api/content/assets/${crypto.randomUUID()}/variants`)).status).toBe(404);
      expect((await viewer.get(`/api/content/variants/${crypto.randomUUID()}`)).status).toBe(404);
      const malformed = await viewer.get('/api/content/variants/not-an-id');
      expect(malformed.status).toBe(404);
      expect(malformed.body.errors[0]).toMatchObject({ field: 'id', in: 'path' });
    });
  });

  it('lets viewers read but not write; no token is a 401', async () => {
    const { member, viewer } = await clients();
    const { body: asset } = await createAsset(member, { name: 'Post', asset_type: 'social_post' });
    const { body: variant } = await createVariant(member, asset.id, { social_post: 'Hello world' });
    expect((await createAsset(viewer, { name: 'x', asset_type: 'ad' })).status).toBe(403);
    expect((await viewer.patch(`/api/content/assets/${asset.id}`, { name: 'x' })).status).toBe(403);
    expect((await createVariant(viewer, asset.id, {})).status).toBe(403);
    expect((await viewer.patch(`/api/content/variants/${variant.id}`, { social_post: 'x' })).status).toBe(403);
    expect((await viewer.get(`/api/content/assets/${asset.id}`)).status).toBe(200);

    const anonymous = apiClient(api(), null);
    for (const response of [
      await anonymous.get('/api/content/assets'),
      await anonymous.get(`/api/content/assets/${asset.id}`),
      await anonymous.get(`/api/content/assets/${asset.id}/variants`),
      await anonymous.get(`/api/content/variants/${variant.id}`),
      await anonymous.post('/api/content/assets', { name: 'x', asset_type: 'ad' }),
      await anonymous.patch(`/api/content/assets/${asset.id}`, { name: 'x' }),
      await anonymous.post(`/api/content/assets/${asset.id}/variants`, {}),
      await anonymous.patch(`/api/content/variants/${variant.id}`, { social_post: 'x' }),
    ]) {
      expect(response.status).toBe(401);
    }
    expect((await viewer.get(`/api/content/assets/${asset.id}/variants`)).body.data[0].social_post).toBe('Hello world');
  });

  it('keeps another tenant’s assets and variants out of reach', async () => {
    const a = await clients();
    const b = await clients();
    const { body: theirs } = await createAsset(b.member, { name: 'Theirs', asset_type: 'email' });
    const { body: theirVariant } = await createVariant(b.member, theirs.id, { subject: 'Secret' });
    const { body: ours } = await createAsset(a.member, { name: 'Ours', asset_type: 'email' });

    expect((await a.viewer.get(`/api/content/assets/${theirs.id}`)).status).toBe(404);
    expect((await a.member.patch(`/api/content/assets/${theirs.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await a.viewer.get(`/api/content/assets/${theirs.id}/variants`)).status).toBe(404);
    expect((await a.viewer.get(`/api/content/variants/${theirVariant.id}`)).status).toBe(404);
    expect((await createVariant(a.member, theirs.id, { subject: 'Injected' })).status).toBe(404);
    const kill = await a.member.patch(`/api/content/variants/${theirVariant.id}`, {
      status: 'killed',
      kill_reason: 'x',
    });
    expect(kill.status).toBe(404);
    const listed = await a.viewer.get('/api/content/assets');
    expect(listed.body.data.map((x: { id: string }) => x.id)).toEqual([ours.id]);

    const theirsNow = await b.viewer.get(`/api/content/assets/${theirs.id}/variants`);
    expect(theirsNow.body.data).toHaveLength(1);
    expect(theirsNow.body.data[0]).toMatchObject({ subject: 'Secret', status: 'active' });
  });
});
