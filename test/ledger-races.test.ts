// Approvals and rollbacks never overwrite a person's change: each locks the campaign and checks it
// still holds the state the action expects. A PATCH made before answers a conflict for them; a
// PATCH sent at the same moment either lands first (and they refuse, unless it left the fields they
// check alone) or comes second with a stale If-Match (and is refused itself): a 200 is never undone.
import { describe, expect, it } from 'vitest';
import { runCycle } from '../src/engine/cycle.ts';
import { actionsOf, campaignState, NOW, pauseScaleSuggestWorld } from './support/scenario.ts';
import { type ApiClient, type TenantClients, useTestApi } from './support/test-api.ts';

async function etagOf(client: ApiClient, id: string) {
  return (await client.get(`/api/campaigns/${id}`)).headers.get('etag')!;
}

describe('approve and rollback beside a person’s PATCH', () => {
  const { db, tenantClients } = useTestApi();

  /** A tenant after one cycle: the loser paused (executed), the suggested campaign's pause pending. */
  async function afterCycle(): Promise<
    TenantClients & { loser: string; suggested: string; paused: string; pending: string }
  > {
    const clients = await tenantClients();
    const { loser, suggested } = await pauseScaleSuggestWorld(db(), clients.t);
    await runCycle(db(), clients.t.tenantId, { now: NOW });
    const ledger = await actionsOf(db(), clients.t);
    const idOf = (campaign: string) =>
      ledger.find((a) => a.campaign_id === campaign && a.action_type === 'auto_pause')!.id;
    return { ...clients, loser, suggested, paused: idOf(loser), pending: idOf(suggested) };
  }

  it('a PATCH made after the suggestion makes its approval a conflict, and stays', async () => {
    const { t, admin, member, suggested, pending } = await afterCycle();
    const etag = await etagOf(member, suggested);
    expect((await member.patch(`/api/campaigns/${suggested}`, { budget: 250 }, { 'if-match': etag })).status).toBe(200);
    const approved = await admin.post(`/api/actions/${pending}/approve`);
    expect(approved.status).toBe(409);
    expect(approved.body.detail).toContain('budget is 250, expected 200');
    expect(await campaignState(db(), t, suggested)).toMatchObject({ status: 'active', budget: '250.00' });
    expect((await admin.get(`/api/actions/${pending}`)).body.status).toBe('pending');
  });

  it('a PATCH made after an action makes its rollback a conflict, and stays', async () => {
    const { t, admin, member, loser, paused } = await afterCycle();
    const etag = await etagOf(member, loser);
    expect((await member.patch(`/api/campaigns/${loser}`, { budget: 90 }, { 'if-match': etag })).status).toBe(200);
    const rolledBack = await admin.post(`/api/actions/${paused}/rollback`);
    expect(rolledBack.status).toBe(409);
    expect(await campaignState(db(), t, loser)).toMatchObject({ status: 'paused', budget: '90.00' });
  });

  it('an approval and a PATCH at the same moment: exactly one lands', async () => {
    for (let round = 0; round < 4; round++) {
      const { t, admin, member, suggested, pending } = await afterCycle();
      const etag = await etagOf(member, suggested);
      const [approved, patched] = await Promise.all([
        admin.post(`/api/actions/${pending}/approve`),
        member.patch(`/api/campaigns/${suggested}`, { budget: 260 }, { 'if-match': etag }),
      ]);
      const state = await campaignState(db(), t, suggested);
      if (approved.status === 200) {
        expect(patched.status).toBe(409);
        expect(state).toMatchObject({ status: 'paused', budget: '200.00', version: 2 });
      } else {
        expect([approved.status, patched.status]).toEqual([409, 200]);
        expect(state).toMatchObject({ status: 'active', budget: '260.00', version: 2 });
      }
    }
  });

  it('a rollback and a title edit at the same moment: what each answers 200 for is there', async () => {
    for (let round = 0; round < 4; round++) {
      const { t, admin, member, loser, paused } = await afterCycle();
      const etag = await etagOf(member, loser);
      const [rolledBack, patched] = await Promise.all([
        admin.post(`/api/actions/${paused}/rollback`),
        member.patch(`/api/campaigns/${loser}`, { title: 'Renamed' }, { 'if-match': etag }),
      ]);
      // A title edit and a rollback compose: the edit first, then the rollback (200, 200); or the
      // rollback first, and the edit's If-Match is stale (200, 409). Never a 200 that is undone.
      expect(rolledBack.status).toBe(200);
      expect([200, 409]).toContain(patched.status);
      const [row] = await db().session((s) =>
        s.query<{ title: string; status: string; version: number }>(
          'SELECT title, status, version FROM campaigns WHERE tenant_id = $1 AND id = $2',
          [t.tenantId, loser],
        ),
      );
      expect(row).toMatchObject({
        status: 'active',
        title: patched.status === 200 ? 'Renamed' : 'Campaign',
        version: patched.status === 200 ? 4 : 3,
      });
    }
  });
});
