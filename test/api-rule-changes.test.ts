// A rule's history: creating, editing and switching a rule each leave an entry with the definition
// before and after and who did it; a save or a switch that changes nothing leaves none; another
// tenant's rule and an unknown one are 404s; deleting the rule takes its history with it.
import { describe, expect, it } from 'vitest';
import { apiClient, type JsonBody, tokenFor, useTestApi } from './support/test-api.ts';

const definition = {
  rule_name: 'Cheap clicks',
  rule_type: 'notify',
  priority: 10,
  description: 'CPC under 0.10',
  condition: { metric: 'cpc', operator: '<', threshold: 0.1 },
  action: { type: 'notify', severity: 'low' },
};

describe('GET /api/rules/{id}/changes', () => {
  const { db, api, tenantClients } = useTestApi();

  it('keeps each creation, edit and switch, newest first, with who made it', async () => {
    const { t, viewer } = await tenantClients();
    const userId = crypto.randomUUID();
    await db().session((s) =>
      s.query(`INSERT INTO users (id, email, display_name) VALUES ($1, $2, 'Ada Admin')`, [userId, `${userId}@x.test`]),
    );
    await db().session((s) =>
      s.query(`INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'admin')`, [t.tenantId, userId]),
    );
    const admin = apiClient(api(), await tokenFor(db(), t.tenantId, 'admin', userId));
    const created = await admin.post('/api/rules', definition);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const edited = { ...definition, condition: { metric: 'cpc', operator: '<', threshold: 0.25 } };
    expect((await admin.put(`/api/rules/${id}`, edited)).status).toBe(200);
    expect((await admin.put(`/api/rules/${id}`, edited)).status).toBe(200); // the same again: no entry
    expect((await admin.put(`/api/rules/${id}/active`, { is_active: false })).status).toBe(200);
    expect((await admin.put(`/api/rules/${id}/active`, { is_active: false })).status).toBe(200); // no entry

    const history = await viewer.get(`/api/rules/${id}/changes`);
    expect(history.status).toBe(200);
    const entries = history.body.data as JsonBody[];
    expect(entries.map((e) => e.change)).toEqual(['switched_off', 'edited', 'created']);
    expect(entries.every((e) => e.changed_by === userId && e.changed_by_name === 'Ada Admin')).toBe(true);
    const [off, edit, creation] = entries;
    expect(creation.before).toBeNull();
    expect(creation.after).toMatchObject({ rule_name: 'Cheap clicks', is_active: true, description: 'CPC under 0.10' });
    expect(edit.before.condition.terms[0].threshold).toBe(0.1);
    expect(edit.after.condition.terms[0].threshold).toBe(0.25);
    expect([off.before.is_active, off.after.is_active]).toEqual([true, false]);

    const paged = await viewer.get(`/api/rules/${id}/changes?limit=2`);
    expect(paged.body.data).toHaveLength(2);
    const rest = await viewer.get(`/api/rules/${id}/changes?limit=2&cursor=${paged.body.next_cursor}`);
    expect(rest.body.data.map((e: JsonBody) => e.change)).toEqual(['created']);

    expect((await admin.delete(`/api/rules/${id}`)).status).toBe(204);
    expect((await viewer.get(`/api/rules/${id}/changes`)).status).toBe(404);
    const [count] = await db().session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM rule_changes WHERE rule_id = $1', [id]),
    );
    expect(count?.n).toBe(0);
  });

  it('answers 404 for another tenant’s rule and 422 for a malformed page', async () => {
    const mine = await tenantClients();
    const other = await tenantClients();
    const created = await mine.admin.post('/api/rules', definition);
    expect((await other.viewer.get(`/api/rules/${created.body.id}/changes`)).status).toBe(404);
    expect((await mine.viewer.get(`/api/rules/${crypto.randomUUID()}/changes`)).status).toBe(404);
    const refused = await mine.viewer.get(`/api/rules/${created.body.id}/changes?limit=0`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('limit');
  });
});
