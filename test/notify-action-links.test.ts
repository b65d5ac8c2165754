// Acting from an e-mail's link over real HTTP: the GET shows a confirmation page and changes
// nothing; the page's POST acts once through the ledger, naming whom the link was sent to; a second
// use, an expired link, a forged or foreign token, and a POST without the page's code do nothing.
import { describe, expect, it } from 'vitest';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { confirmationCode, signActionLink } from '../src/notify/action-link-token.ts';
import { ACTION_LINK_LIFETIME_MS, actionLinksFor } from '../src/notify/action-links.ts';
import {
  actionNow,
  issue,
  LINK_KEY,
  ledgerCount,
  linkRow,
  pendingPauseWorld,
  useClockedTestApi,
} from './support/action-link-world.ts';
import { createTenant } from './support/scenario.ts';
import { apiClient, tokenFor } from './support/test-api.ts';

const ADDRESS = 'ops+<lead>@example.com';

describe('action links', () => {
  const { db, api: started, clock } = useClockedTestApi();

  const get = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, html: await response.text(), headers: response.headers };
  };
  const post = async (url: string, confirm?: string) => {
    const body = new URLSearchParams(confirm === undefined ? {} : { confirm });
    const response = await fetch(url, { method: 'POST', body });
    return { status: response.status, html: await response.text() };
  };
  const confirmCode = (html: string) => /name="confirm" value="([^"]+)"/.exec(html)?.[1] ?? '';
  /** The page's GET, then its form's POST, as a person's browser does. */
  const confirm = async (url: string) => post(url, confirmCode((await get(url)).html));
  const issueFor = (w: { t: { tenantId: string }; actionId: string }, operation: 'approve' | 'dismiss' | 'rollback') =>
    issue(db(), started().url, {
      tenantId: w.t.tenantId,
      actionId: w.actionId,
      operation,
      issuedTo: ADDRESS,
      now: new Date(clock.now),
    });

  it('approve: the GET shows the action and changes nothing; the POST approves once, naming the address', async () => {
    const w = await pendingPauseWorld(db());
    const link = await issueFor(w, 'approve');
    expect(link.url).toBe(`${started().url}/act/${link.token}`);

    const page = await get(link.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('Pause the campaign');
    expect(page.html).toContain('Spring &#60;b&#62;sale&#60;/b&#62;');
    expect(page.html).not.toContain('<b>sale');
    expect(page.html).toContain('ROI 0.25 over 3 days &#38; falling');
    expect(page.html).toContain('87%');
    expect(page.html).toContain('ops+&#60;lead&#62;@example.com');
    expect(page.html).toMatch(/<form method="post">.*<button type="submit">Approve<\/button>/s);
    expect(await actionNow(db(), w.t.tenantId, w.actionId)).toMatchObject({ status: 'pending', decided_by_name: null });
    expect((await linkRow(db(), w.t.tenantId, link.id)).used_at).toBeNull();

    // A POST without the page's code (a scanner replaying the address) does nothing.
    expect((await post(link.url)).status).toBe(403);
    expect((await post(link.url, 'x'.repeat(22))).status).toBe(403);
    expect((await actionNow(db(), w.t.tenantId, w.actionId)).status).toBe('pending');

    const done = await post(link.url, confirmCode(page.html));
    expect(done.status).toBe(200);
    expect(done.html).toContain('Approved by ops+&#60;lead&#62;@example.com');
    expect(await actionNow(db(), w.t.tenantId, w.actionId)).toMatchObject({
      status: 'executed',
      decided_by_name: ADDRESS,
    });
    const viewer = apiClient(started(), await tokenFor(db(), w.t.tenantId, 'viewer'));
    expect((await viewer.get(`/api/actions/${w.actionId}`)).body).toMatchObject({
      decided_by: null,
      decided_by_name: ADDRESS,
    });
    expect((await viewer.get(`/api/campaigns/${w.campaignId}`)).body.status).toBe('paused');
    expect(await linkRow(db(), w.t.tenantId, link.id)).toMatchObject({ used_by: ADDRESS, used_at: expect.any(Date) });

    const rows = await ledgerCount(db(), w.t.tenantId);
    const again = await post(link.url, confirmCode(page.html));
    expect(again.status).toBe(409);
    expect(again.html).toContain('Link already used');
    expect(again.html).toContain('Approved by');
    expect(await ledgerCount(db(), w.t.tenantId)).toBe(rows);
    const reread = await get(link.url);
    expect(reread.status).toBe(410);
    expect(reread.html).toContain('Link already used');
    expect(reread.html).not.toContain('<form');
  });

  it('refuses an expired link, on the page and to the POST, and changes nothing', async () => {
    const w = await pendingPauseWorld(db());
    const link = await issueFor(w, 'approve');
    const code = confirmCode((await get(link.url)).html);
    const before = clock.now;
    clock.now += ACTION_LINK_LIFETIME_MS + 1_000;
    try {
      const page = await get(link.url);
      expect(page.status).toBe(410);
      expect(page.html).toContain('Link expired');
      expect((await post(link.url, code)).status).toBe(410);
    } finally {
      clock.now = before;
    }
    expect(await actionNow(db(), w.t.tenantId, w.actionId)).toMatchObject({ status: 'pending', decided_by_name: null });
    expect((await linkRow(db(), w.t.tenantId, link.id)).used_at).toBeNull();
  });

  it('refuses a forged token (one byte changed) and a malformed one, without an error', async () => {
    const w = await pendingPauseWorld(db());
    const link = await issueFor(w, 'approve');
    const bytes = Buffer.from(link.token, 'base64url');
    for (const at of [5, 40, bytes.length - 1]) {
      const forged = Buffer.from(bytes);
      forged[at]! ^= 0x01;
      const token = forged.toString('base64url');
      const url = `${started().url}/act/${token}`;
      expect((await get(url)).status).toBe(403);
      // Past the page's code (bound to the token, so the forger could only have it from us): the token refuses.
      expect((await post(url, confirmationCode(LINK_KEY, token))).status).toBe(403);
    }
    expect((await get(`${started().url}/act/${'A'.repeat(71)}`)).status).toBe(404);
    expect((await get(`${started().url}/act/${link.token.slice(0, -2)}`)).status).toBe(404);
    expect((await actionNow(db(), w.t.tenantId, w.actionId)).status).toBe('pending');
  });

  it('a link of another tenant cannot act on this tenant’s action', async () => {
    const w = await pendingPauseWorld(db());
    const other = await createTenant(db());
    // Issued in the other tenant's scope naming this tenant's action: refused by the database.
    await expect(
      issue(db(), started().url, {
        tenantId: other.tenantId,
        actionId: w.actionId,
        operation: 'approve',
        issuedTo: ADDRESS,
      }),
    ).rejects.toThrow();
    // A genuine signature over the other tenant and this tenant's link finds no link.
    const link = await issueFor(w, 'approve');
    const crossed = signActionLink(LINK_KEY, {
      tenantId: other.tenantId,
      linkId: link.id,
      expiresAt: new Date(clock.now + 3_600_000),
    });
    const url = `${started().url}/act/${crossed}`;
    expect((await get(url)).status).toBe(404);
    expect((await post(url, confirmationCode(LINK_KEY, crossed))).status).toBe(404);
    expect((await actionNow(db(), w.t.tenantId, w.actionId)).status).toBe('pending');
  });

  it('dismisses, and rolls back an approved action, naming the address each time', async () => {
    const dismissed = await pendingPauseWorld(db());
    const dismiss = await confirm((await issueFor(dismissed, 'dismiss')).url);
    expect(dismiss.status).toBe(200);
    expect(dismiss.html).toContain('Dismissed by');
    expect(await actionNow(db(), dismissed.t.tenantId, dismissed.actionId)).toMatchObject({
      status: 'dismissed',
      decided_by_name: ADDRESS,
    });

    const w = await pendingPauseWorld(db());
    expect((await confirm((await issueFor(w, 'approve')).url)).status).toBe(200);
    const rollbackPage = await get((await issueFor(w, 'rollback')).url);
    expect(rollbackPage.html).toContain('<button type="submit">Roll back</button>');
    const rolledBack = await confirm((await issueFor(w, 'rollback')).url);
    expect(rolledBack.status).toBe(200);
    expect(await actionNow(db(), w.t.tenantId, w.actionId)).toMatchObject({
      status: 'rolled_back',
      rolled_back_by_name: ADDRESS,
    });
    const viewer = apiClient(started(), await tokenFor(db(), w.t.tenantId, 'viewer'));
    const undo = (await viewer.get('/api/actions?action_type=rollback')).body.data;
    expect(undo).toHaveLength(1);
    expect(undo[0]).toMatchObject({ status: 'executed', decided_by_name: ADDRESS });
    expect((await viewer.get(`/api/actions/${w.actionId}`)).body.rolled_back_by_name).toBe(ADDRESS);
    expect((await viewer.get(`/api/campaigns/${w.campaignId}`)).body.status).toBe('active');
  });

  it('a link the ledger refuses is used up, with the ledger’s words', async () => {
    const w = await pendingPauseWorld(db());
    const dismiss = await issueFor(w, 'dismiss');
    expect((await confirm((await issueFor(w, 'approve')).url)).status).toBe(200);
    const refused = await confirm(dismiss.url);
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('Refused: only pending suggestions can be dismissed; this one is executed.');
    expect(await actionNow(db(), w.t.tenantId, w.actionId)).toMatchObject({ status: 'executed' });
    expect((await linkRow(db(), w.t.tenantId, dismiss.id)).outcome).toMatch(/^Refused/);
  });

  it('actionLinksFor: Approve and Dismiss for a suggestion, Roll back for an undoable executed action', async () => {
    const w = await pendingPauseWorld(db());
    const deps = { actionLinkKey: LINK_KEY, publicUrl: `${started().url}/` };
    const linksOf = (actionType: string, status: string) =>
      tenantScoped(db(), w.t.tenantId).transaction((s) =>
        actionLinksFor(s, deps, {
          tenantId: w.t.tenantId,
          actionId: w.actionId,
          actionType,
          status,
          issuedTo: ADDRESS,
        }),
      );
    const pending = await linksOf('auto_pause', 'pending');
    expect(pending.map((l) => [l.operation, l.label])).toEqual([
      ['approve', 'Approve'],
      ['dismiss', 'Dismiss'],
    ]);
    expect(pending[0]!.url).toBe(`${started().url}/act/${pending[0]!.token}`);
    expect((await linksOf('auto_pause', 'executed')).map((l) => l.label)).toEqual(['Roll back']);
    expect(await linksOf('notify', 'executed')).toEqual([]);
    expect(await linksOf('auto_pause', 'rolled_back')).toEqual([]);
  });
});
