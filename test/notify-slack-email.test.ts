// Slack and e-mail destinations (issue 27): one event is a Block Kit message to a local server
// speaking Slack's incoming-webhook protocol, or an e-mail per address through the tenant's SMTP
// sender (a local SMTP server); hourly and daily digests gather a tenant's events in its time zone
// and say how many of each, linking to the dashboard's lists.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { deliverDueNotifications } from '../src/notify/deliver.ts';
import { type NewNotificationEvent, recordNotificationEvents } from '../src/notify/outbox.ts';
import { slackInteraction } from '../src/notify/slack-interaction.ts';
import { slackSignature } from '../src/notify/slack-signature.ts';
import { createDestination, destinationDeliveries } from '../src/services/notification-destinations.ts';
import { saveEmailSender } from '../src/services/senders.ts';
import { actionNow, pendingPauseWorld } from './support/action-link-world.ts';
import { type HookReceiver, startHookReceiver } from './support/hook-receiver.ts';
import { createTenant } from './support/scenario.ts';
import { testDeliveryDeps } from './support/test-api.ts';
import { useTestDb } from './support/test-db.ts';
import { useSmtpSink } from './support/use-smtp-sink.ts';

const deps = testDeliveryDeps({ publicUrl: 'https://nightshift.example.com' });
const SIGNING_SECRET = 'c0ffee'.repeat(6);

describe('Slack and e-mail notifications', () => {
  const getDb = useTestDb();
  const sink = useSmtpSink();
  let slack: HookReceiver;
  beforeAll(async () => {
    slack = await startHookReceiver();
  });
  afterAll(() => slack.close());
  beforeEach(() => {
    slack.reset();
    sink().reset();
  });

  async function tenantIn(timezone: string) {
    const db = getDb();
    const { tenantId } = await createTenant(db);
    await db.session((s) => s.query('UPDATE tenants SET timezone = $2 WHERE id = $1', [tenantId, timezone]));
    return { db, tenantId };
  }

  const raise = (db: Database, tenantId: string, at: Date, events: NewNotificationEvent[]) =>
    tenantScoped(db, tenantId).transaction((s) => recordNotificationEvents(s, tenantId, events, at));

  const deliver = (db: Database, tenantId: string, at: Date) =>
    deliverDueNotifications(db, deps, tenantId, { now: () => at });

  const alert = (reason: string, title = 'Spring sale'): NewNotificationEvent => ({
    type: 'alert.raised',
    data: { reason, campaign: { id: '00000000-0000-4000-8000-000000000001', title } },
  });

  it('posts one event to Slack as blocks, with the campaign, the reason escaped and a link to the dashboard', async () => {
    const { db, tenantId } = await tenantIn('UTC');
    await createDestination(
      db,
      deps,
      tenantId,
      {
        kind: 'slack',
        name: '#marketing-ops',
        webhook_url: `${slack.url}/services/T000/B000/XXXX`,
        subscriptions: [{ event_type: 'alert.raised', cadence: 'immediate' }],
      },
      null,
    );
    const at = new Date('2026-12-01T10:00:00Z');
    await raise(db, tenantId, at, [alert('CPA doubled <!channel> & more')]);
    expect(await deliver(db, tenantId, at)).toMatchObject({ delivered: 1 });

    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]!.path).toBe('/services/T000/B000/XXXX');
    const message = JSON.parse(slack.received[0]!.body);
    const text = JSON.stringify(message.blocks);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Alert' } });
    expect(text).toContain('CPA doubled &lt;!channel&gt; &amp; more');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('*Campaign*\\nSpring sale');
    expect(text).toContain('https://nightshift.example.com/#/actions');
  });

  it('gathers hourly and daily digests in the tenant’s time zone, one message each, counted and linked', async () => {
    const { db, tenantId } = await tenantIn('America/New_York');
    const created = await createDestination(
      db,
      deps,
      tenantId,
      {
        kind: 'slack',
        name: '#digest',
        webhook_url: `${slack.url}/digest`,
        subscriptions: [
          { event_type: 'alert.raised', cadence: 'hourly' },
          { event_type: 'action.executed', cadence: 'daily' },
        ],
      },
      null,
    );
    // 10:20 in New York (15:20 UTC): three alerts and two actions.
    const at = new Date('2026-12-01T15:20:00Z');
    await raise(db, tenantId, at, [
      alert('one'),
      alert('two'),
      alert('three'),
      { type: 'action.executed', data: { action_type: 'auto_pause', reason: 'CPA too high' } },
      { type: 'action.executed', data: { action_type: 'auto_scale_up', reason: 'ROAS strong' } },
    ]);
    const log = await destinationDeliveries(db, tenantId, created.id, { limit: 10 });
    const dueOf = (cadence: string) => [
      ...new Set(log.filter((d) => d.cadence === cadence).map((d) => d.next_attempt_at)),
    ];
    // The end of the local hour (11:00 in New York), and 08:00 the next local morning.
    expect(dueOf('hourly')).toEqual(['2026-12-01T16:00:00.000Z']);
    expect(dueOf('daily')).toEqual(['2026-12-02T13:00:00.000Z']);

    expect((await deliver(db, tenantId, new Date('2026-12-01T15:59:59Z'))).attempts).toBe(0);
    expect(await deliver(db, tenantId, new Date('2026-12-01T16:00:00Z'))).toMatchObject({ attempts: 1, delivered: 3 });
    expect(slack.received).toHaveLength(1);
    let message = JSON.parse(slack.received[0]!.body);
    expect(message.text).toBe('Nightshift hourly digest: 3 alerts raised');
    expect(JSON.stringify(message.blocks)).toContain('https://nightshift.example.com/#/actions');

    expect(await deliver(db, tenantId, new Date('2026-12-02T13:00:00Z'))).toMatchObject({ attempts: 1, delivered: 2 });
    message = JSON.parse(slack.received[1]!.body);
    expect(message.text).toBe('Nightshift daily digest: 2 actions taken');
    expect(JSON.stringify(message.blocks)).toContain('https://nightshift.example.com/#/actions/executed');
  });

  it('e-mails each address through the tenant’s sender, and fails in words when it has none', async () => {
    const { db, tenantId } = await tenantIn('UTC');
    const created = await createDestination(
      db,
      deps,
      tenantId,
      {
        kind: 'email',
        name: 'Ops mailbox',
        addresses: ['ops@example.com', 'cmo@example.com'],
        subscriptions: [{ event_type: 'alert.raised', cadence: 'immediate' }],
      },
      null,
    );
    const at = new Date('2026-12-01T10:00:00Z');
    await raise(db, tenantId, at, [alert('Spend without conversions for 3 days')]);
    expect(await deliver(db, tenantId, at)).toMatchObject({ retrying: 1 });
    const [first] = await destinationDeliveries(db, tenantId, created.id, { limit: 1 });
    expect(first!.error).toBe('the tenant has no active e-mail sender (Senders)');

    await saveEmailSender(db, deps, tenantId, {
      host: sink().host,
      port: sink().port,
      security: 'none',
      from_address: 'alerts@brand.example',
      max_connections: 1,
      track_opens: false,
      track_clicks: false,
    });
    expect(await deliver(db, tenantId, new Date(at.getTime() + 60_000))).toMatchObject({ delivered: 1 });
    const mails = await sink().waitFor(2);
    expect(mails.map((m) => m.envelope.to[0]).sort()).toEqual(['cmo@example.com', 'ops@example.com']);
    expect(mails[0]!.parsed.subject).toBe('[Nightshift] Alert: Spring sale');
    expect(mails[0]!.parsed.text).toContain('Spend without conversions for 3 days');
    expect(mails[0]!.parsed.html).toContain('href="https://nightshift.example.com/#/actions"');
  });

  it('offers a suggestion’s Approve and Dismiss: Slack buttons that name who pressed, e-mail links issued to each address', async () => {
    const db = getDb();
    const w = await pendingPauseWorldWithDestinations(db);
    const at = new Date();
    expect(await deliver(db, w.t.tenantId, at)).toMatchObject({ delivered: 2 });

    // Slack: two buttons whose values are link tokens, and the dashboard link.
    const message = JSON.parse(slack.received.find((h) => h.path === '/buttons')!.body);
    const buttons = message.blocks.find((b: { type: string }) => b.type === 'actions').elements;
    expect(buttons.map((b: { action_id: string }) => b.action_id)).toEqual([
      'nightshift_approve',
      'nightshift_dismiss',
      'nightshift_open',
    ]);
    const approve = buttons[0].value as string;
    const body = `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'block_actions',
        user: { id: 'U0BOB', username: 'bob' },
        actions: [{ action_id: 'nightshift_approve', value: approve }],
      }),
    )}`;
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const answer = await slackInteraction(
      db,
      deps,
      {
        destinationId: w.slackId,
        rawBody: body,
        timestamp,
        signature: slackSignature(SIGNING_SECRET, timestamp, body),
      },
      at,
    );
    expect(answer).toMatchObject({ ok: true, message: { text: 'Approved by Slack @bob (U0BOB).' } });
    expect(await actionNow(db, w.t.tenantId, w.actionId)).toMatchObject({
      status: 'executed',
      decided_by_name: 'Slack @bob (U0BOB)',
    });

    // E-mail: each address its own links, to the confirmation pages.
    const mails = await sink().waitFor(2);
    const linksIn = (text: string) =>
      [...text.matchAll(/(Approve|Dismiss): (https:\/\/nightshift\.example\.com\/act\/\S+)/g)].map((m) => m[1]);
    for (const mail of mails) expect(linksIn(mail.parsed.text!)).toEqual(['Approve', 'Dismiss']);
    const issued = await db.session((s) =>
      s.query<{ issued_to: string; operation: string }>(
        'SELECT issued_to, operation FROM action_links WHERE tenant_id = $1 ORDER BY issued_to, operation',
        [w.t.tenantId],
      ),
    );
    expect(issued).toEqual([
      { issued_to: 'cmo@example.com', operation: 'approve' },
      { issued_to: 'cmo@example.com', operation: 'dismiss' },
      { issued_to: 'ops@example.com', operation: 'approve' },
      { issued_to: 'ops@example.com', operation: 'dismiss' },
      { issued_to: `slack:${w.slackId}`, operation: 'approve' },
      { issued_to: `slack:${w.slackId}`, operation: 'dismiss' },
    ]);
  });

  /** A pending pause, raised after a Slack destination (with a signing secret) and an e-mail one subscribe. */
  async function pendingPauseWorldWithDestinations(db: Database) {
    const t = await createTenant(db);
    const { tenantId } = t;
    const subscriptions = [{ event_type: 'suggestion.pending' as const, cadence: 'immediate' as const }];
    const slackDestination = await createDestination(
      db,
      deps,
      tenantId,
      {
        kind: 'slack',
        name: '#approvals',
        webhook_url: `${slack.url}/buttons`,
        signing_secret: SIGNING_SECRET,
        subscriptions,
      },
      null,
    );
    await createDestination(
      db,
      deps,
      tenantId,
      { kind: 'email', name: 'Approvers', addresses: ['ops@example.com', 'cmo@example.com'], subscriptions },
      null,
    );
    await saveEmailSender(db, deps, tenantId, {
      host: sink().host,
      port: sink().port,
      security: 'none',
      from_address: 'alerts@brand.example',
      max_connections: 1,
      track_opens: false,
      track_clicks: false,
    });
    const w = await pendingPauseWorld(db, t);
    return { ...w, slackId: slackDestination.id };
  }
});
