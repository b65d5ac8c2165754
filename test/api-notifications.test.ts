// /api/notification-destinations (issue 27): admins add, change, test and delete destinations;
// members read them and their delivery logs; secrets go in and never come out (a webhook's signing
// secret once, at creation); a bad body is refused naming its field and changes nothing; no secret
// reaches the log of the task that delivers.
import type { Job } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { type RunJobData, runTaskJob } from '../src/jobs/run-task.ts';
import { findTask } from '../src/jobs/tasks.ts';
import { createLogger } from '../src/log.ts';
import { recordNotificationEvents } from '../src/notify/outbox.ts';
import { verifySignature } from '../src/notify/webhook-signature.ts';
import { type HookReceiver, startHookReceiver } from './support/hook-receiver.ts';
import { testTaskDeps } from './support/task-deps.ts';
import { expectFieldError, useTestApi } from './support/test-api.ts';

const PATH = '/api/notification-destinations';

describe('the notifications API', () => {
  const { db, tenantClients } = useTestApi();
  let receiver: HookReceiver;
  beforeAll(async () => {
    receiver = await startHookReceiver();
  });
  afterAll(() => receiver.close());

  const webhook = (path: string) => ({
    kind: 'webhook',
    name: 'CRM',
    url: `${receiver.url}${path}`,
    subscriptions: [{ event_type: 'alert.raised' }, { event_type: 'suggestion.pending' }],
  });

  it('lets admins add and test a webhook; its secret is answered once and verifies the test', async () => {
    const { admin, member, viewer } = await tenantClients();
    expect((await member.post(PATH, webhook('/m'))).status).toBe(403);
    expect((await viewer.get(PATH)).status).toBe(403);

    const created = await admin.post(PATH, webhook('/admin'));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${PATH}/${created.body.id}`);
    const secret: string = created.body.signing_secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({
      kind: 'webhook',
      status: 'active',
      secrets_set: ['signing_secret'],
      subscriptions: [
        { event_type: 'alert.raised', cadence: 'immediate' },
        { event_type: 'suggestion.pending', cadence: 'immediate' },
      ],
    });

    const list = await member.get(PATH);
    expect(list.status).toBe(200);
    expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([created.body.id]);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const tested = await admin.post(`${PATH}/${created.body.id}/test`);
    expect(tested.body).toMatchObject({ ok: true, response_status: 200, detail: 'delivered' });
    const hook = receiver.received.find((h) => h.path === '/admin')!;
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'test' });
    expect(verifySignature(String(hook.headers['nightshift-signature']), hook.body, secret, new Date())).toEqual({
      ok: true,
    });

    // Rolled: the new secret is answered once, and differs.
    const rolled = await admin.post(`${PATH}/${created.body.id}/signing-secret`);
    expect(rolled.body.signing_secret).toMatch(/^whsec_/);
    expect(rolled.body.signing_secret).not.toBe(secret);

    // A receiver that refuses: the test says so in its words.
    receiver.answer({ status: 410, body: 'endpoint retired' });
    expect((await admin.post(`${PATH}/${created.body.id}/test`)).body).toMatchObject({
      ok: false,
      response_status: 410,
      detail: 'HTTP 410: endpoint retired',
    });
  });

  it('keeps a Slack webhook URL secret, and a secret left out on a change keeps the stored one', async () => {
    const { admin } = await tenantClients();
    const url = `${receiver.url}/services/T1/B1/secretpart`;
    const created = await admin.post(PATH, {
      kind: 'slack',
      name: '#ops',
      webhook_url: url,
      signing_secret: 'a1'.repeat(16),
      subscriptions: [{ event_type: 'suggestion.pending', cadence: 'hourly' }],
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('secretpart');
    expect(created.body.settings).toEqual({ webhook_host: new URL(url).host });
    expect(created.body.secrets_set.sort()).toEqual(['signing_secret', 'webhook_url']);

    const changed = await admin.put(`${PATH}/${created.body.id}`, {
      kind: 'slack',
      name: '#ops-renamed',
      subscriptions: [{ event_type: 'alert.raised', cadence: 'daily' }],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: '#ops-renamed',
      secrets_set: expect.arrayContaining(['webhook_url', 'signing_secret']),
      subscriptions: [{ event_type: 'alert.raised', cadence: 'daily' }],
    });
    const tested = await admin.post(`${PATH}/${created.body.id}/test`);
    expect(tested.body.ok).toBe(true);
    expect(receiver.received.some((h) => h.path === '/services/T1/B1/secretpart')).toBe(true);
  });

  it('refuses bad bodies naming the field, and changes nothing', async () => {
    const { admin } = await tenantClients();
    const cases: [string, unknown, string][] = [
      ['plain http elsewhere', { ...webhook('/x'), url: 'http://hooks.example.com/x' }, 'url'],
      ['not a URL', { ...webhook('/x'), url: 'hooks' }, 'url'],
      [
        'unknown event type',
        { ...webhook('/x'), subscriptions: [{ event_type: 'campaign.exploded' }] },
        'subscriptions.0.event_type',
      ],
      [
        'a digest to a webhook',
        { ...webhook('/x'), subscriptions: [{ event_type: 'alert.raised', cadence: 'daily' }] },
        'subscriptions',
      ],
      ['no address', { kind: 'email', name: 'Ops', addresses: [], subscriptions: [] }, 'addresses'],
      [
        'a Slack destination without its URL',
        { kind: 'slack', name: 'Ops', subscriptions: [{ event_type: 'alert.raised' }] },
        'webhook_url',
      ],
      ['an unknown kind', { kind: 'pager', name: 'Ops' }, 'kind'],
    ];
    for (const [label, body, field] of cases) expectFieldError(await admin.post(PATH, body), field, label);
    expect((await admin.get(PATH)).body.data).toEqual([]);

    const created = await admin.post(PATH, webhook('/kept'));
    const kindChange = await admin.put(`${PATH}/${created.body.id}`, {
      kind: 'email',
      name: 'Ops',
      addresses: ['ops@example.com'],
      subscriptions: [],
    });
    expectFieldError(kindChange, 'kind');
    expect((await admin.get(PATH)).body.data).toMatchObject([{ kind: 'webhook', name: 'CRM' }]);
  });

  it('shows the delivery log, resends from it, and deletes a destination with it', async () => {
    const { t, admin, member } = await tenantClients();
    const created = await admin.post(PATH, webhook('/logged'));
    const id: string = created.body.id;
    await tenantScoped(db(), t.tenantId).transaction((s) =>
      recordNotificationEvents(s, t.tenantId, [{ type: 'alert.raised', data: { reason: 'CPA up' } }]),
    );
    receiver.answer({ status: 503 });
    const lines: { msg: string }[] = [];
    const deps = {
      ...testTaskDeps(db()),
      log: createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) }),
    };
    const job = { id: crypto.randomUUID(), retryCount: 0, data: { tenantId: t.tenantId } } as Job<RunJobData>;
    await runTaskJob(deps, findTask('notifications')!, job);

    const log = await member.get(`${PATH}/${id}/deliveries?limit=10`);
    expect(log.status).toBe(200);
    expect(log.body.data).toMatchObject([
      { event_type: 'alert.raised', status: 'pending', attempts: 1, response_status: 503, error: 'HTTP 503' },
    ]);
    expect(log.body.data[0].next_attempt_at).not.toBeNull();
    // The task's log lines name what happened, never a secret.
    const written = JSON.stringify(lines);
    expect(written).toContain('"retrying":1');
    expect(written).not.toMatch(/whsec_/);

    const resent = await admin.post(`/api/notification-deliveries/${log.body.data[0].id}/resend`);
    expect(resent.body).toEqual({ delivery_id: log.body.data[0].id, status: 'pending' });
    await runTaskJob(deps, findTask('notifications')!, job);
    expect((await member.get(`${PATH}/${id}/deliveries`)).body.data[0]).toMatchObject({
      status: 'delivered',
      response_status: 200,
    });
    expect((await member.post(`/api/notification-deliveries/${log.body.data[0].id}/resend`)).status).toBe(403);

    expect((await admin.delete(`${PATH}/${id}`)).status).toBe(204);
    expect((await admin.delete(`${PATH}/${id}`)).status).toBe(404);
    expect((await member.get(`${PATH}/${id}/deliveries`)).status).toBe(404);
  });
});
