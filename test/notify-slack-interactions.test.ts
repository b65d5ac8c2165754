// Slack's buttons over real HTTP: a press signed as Slack documents approves and names the Slack
// user; a forged signature, a stale timestamp, a replayed button and another channel's token are
// refused and change nothing; no secret reaches the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import { createLogger } from '../src/log.ts';
import { slackRecipient } from '../src/notify/action-links.ts';
import { slackSignature } from '../src/notify/slack-signature.ts';
import { createApp } from '../src/server/app.ts';
import {
  actionNow,
  issue,
  ledgerCount,
  linkRow,
  pendingPauseWorld,
  useClockedTestApi,
} from './support/action-link-world.ts';
import { type HookReceiver, startHookReceiver } from './support/hook-receiver.ts';
import {
  type JsonBody,
  TEST_ENCRYPTION_KEY,
  TEST_INTERNAL_SECRET,
  TEST_JWT_SECRET,
  testAdPlatforms,
  testDeliveryDeps,
} from './support/test-api.ts';
import { until } from './support/until.ts';

const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'e');
const ALICE = { id: 'U0ALICE', username: 'alice', name: 'Alice' };

describe('Slack interactions', () => {
  // Slack's response URLs: the press's answer is posted there (only under this address).
  let slack: HookReceiver;
  beforeAll(async () => {
    slack = await startHookReceiver();
  });
  afterAll(() => slack.close());
  const { db, api: started, clock } = useClockedTestApi({ slackBaseUrl: () => slack.url });

  async function slackWorld() {
    const w = await pendingPauseWorld(db());
    const secrets = createTokenCipher(TEST_ENCRYPTION_KEY).encrypt(
      JSON.stringify({ webhook_url: 'https://hooks.slack.com/services/T/B/x', signing_secret: SIGNING_SECRET }),
    );
    const [row] = await db().session((s) =>
      s.query<{ id: string }>(
        `INSERT INTO notification_destinations (tenant_id, kind, name, secrets) VALUES ($1, 'slack', 'Ops', $2) RETURNING id`,
        [w.t.tenantId, secrets],
      ),
    );
    const destinationId = row!.id;
    const link = await issue(db(), started().url, {
      tenantId: w.t.tenantId,
      actionId: w.actionId,
      operation: 'approve',
      issuedTo: slackRecipient(destinationId),
      destinationId,
      now: new Date(clock.now),
    });
    return { ...w, destinationId, link };
  }

  function interaction(value: string, user: object = ALICE) {
    const payload = {
      type: 'block_actions',
      user,
      actions: [{ action_id: 'approve', value }],
      response_url: 'https://hooks.slack.com/actions/T/1/x',
    };
    return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }

  async function press(
    destinationId: string,
    body: string,
    sign: { secret?: string; timestamp?: number; tamper?: boolean } = {},
    base = started().url,
    fetcher: (url: string, init: RequestInit) => Promise<Response> | Response = fetch,
  ) {
    const timestamp = String(sign.timestamp ?? Math.floor(clock.now / 1000));
    let signature = slackSignature(sign.secret ?? SIGNING_SECRET, timestamp, body);
    if (sign.tamper) signature = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
    const response = await fetcher(`${base}/hooks/slack/interactions/${destinationId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as JsonBody };
  }

  it('a press signed as Slack documents approves, naming the Slack user', async () => {
    const w = await slackWorld();
    const answer = await press(w.destinationId, interaction(w.link.token));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      replace_original: false,
      response_type: 'ephemeral',
      text: 'Approved by Slack @alice (U0ALICE).',
    });
    expect(await actionNow(db(), w.t.tenantId, w.actionId)).toMatchObject({
      status: 'executed',
      decided_by_name: 'Slack @alice (U0ALICE)',
    });
    expect((await linkRow(db(), w.t.tenantId, w.link.id)).used_by).toBe('Slack @alice (U0ALICE)');
  });

  it('refuses a forged signature, another secret and a stale timestamp with 401, changing nothing', async () => {
    const w = await slackWorld();
    const body = interaction(w.link.token);
    expect((await press(w.destinationId, body, { tamper: true })).status).toBe(401);
    expect((await press(w.destinationId, body, { secret: 'ab'.repeat(16) })).status).toBe(401);
    const stale = await press(w.destinationId, body, { timestamp: Math.floor(clock.now / 1000) - 301 });
    expect(stale.status).toBe(401);
    expect(stale.body.detail).toMatch(/5 minutes/);
    expect((await press(w.destinationId, body, { timestamp: Math.floor(clock.now / 1000) + 301 })).status).toBe(401);
    // Signed over another body than the one sent.
    const other = await fetch(`${started().url}/hooks/slack/interactions/${w.destinationId}`, {
      method: 'POST',
      headers: {
        'x-slack-request-timestamp': String(Math.floor(clock.now / 1000)),
        'x-slack-signature': slackSignature(SIGNING_SECRET, String(Math.floor(clock.now / 1000)), body),
      },
      body: interaction(w.link.token, { id: 'U0MALLORY', username: 'mallory' }),
    });
    expect(other.status).toBe(401);
    expect(await actionNow(db(), w.t.tenantId, w.actionId)).toMatchObject({ status: 'pending', decided_by_name: null });
    expect((await linkRow(db(), w.t.tenantId, w.link.id)).used_at).toBeNull();
  });

  it('a replayed button (a fresh signature on a used token) is refused and changes nothing', async () => {
    const w = await slackWorld();
    expect((await press(w.destinationId, interaction(w.link.token))).status).toBe(200);
    const rows = await ledgerCount(db(), w.t.tenantId);
    clock.now += 60_000;
    try {
      const replay = await press(w.destinationId, interaction(w.link.token, { id: 'U0BOB', username: 'bob' }));
      expect(replay.status).toBe(200);
      expect(replay.body.text).toMatch(/already used by Slack @alice \(U0ALICE\)/);
    } finally {
      clock.now -= 60_000;
    }
    expect(await ledgerCount(db(), w.t.tenantId)).toBe(rows);
    expect(await actionNow(db(), w.t.tenantId, w.actionId)).toMatchObject({
      decided_by_name: 'Slack @alice (U0ALICE)',
    });
  });

  it('a Slack token does not act on the page, an e-mail token not through Slack, nor another destination’s', async () => {
    const w = await slackWorld();
    expect((await fetch(`${started().url}/act/${w.link.token}`)).status).toBe(404);
    const email = await issue(db(), started().url, {
      tenantId: w.t.tenantId,
      actionId: w.actionId,
      operation: 'approve',
      issuedTo: 'ops@example.com',
      now: new Date(clock.now),
    });
    expect((await press(w.destinationId, interaction(email.token))).body.text).toBe('This button is not valid.');
    const elsewhere = await slackWorld();
    expect((await press(elsewhere.destinationId, interaction(w.link.token))).body.text).toBe(
      'This button is not valid.',
    );
    expect((await press(crypto.randomUUID(), interaction(w.link.token))).status).toBe(404);
    expect((await press('not-a-uuid', interaction(w.link.token))).status).toBe(404);
    expect((await press(w.destinationId, 'payload=%7B')).status).toBe(400);
    expect((await actionNow(db(), w.t.tenantId, w.actionId)).status).toBe('pending');
  });

  it('logs neither the signing secret nor the keys', async () => {
    const lines: string[] = [];
    const app = createApp({
      db: db(),
      log: createLogger('trace', { write: (line: string) => void lines.push(line) }),
      isAccepting: () => true,
      auth: { jwtSecret: TEST_JWT_SECRET, internalSecret: TEST_INTERNAL_SECRET },
      adPlatforms: testAdPlatforms(),
      delivery: testDeliveryDeps({ publicUrl: 'http://nightshift.test' }),
      now: () => clock.now,
    });
    const w = await slackWorld();
    const viaApp = (url: string, init: RequestInit) => app.fetch(new Request(url, init));
    const body = interaction(w.link.token);
    expect((await press(w.destinationId, body, { tamper: true }, 'http://nightshift.test', viaApp)).status).toBe(401);
    expect((await press(w.destinationId, body, {}, 'http://nightshift.test', viaApp)).status).toBe(200);
    const page = await app.fetch(new Request(`http://nightshift.test/act/${w.link.token}`));
    expect(page.status).toBe(404); // a Slack button's token is no page link
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    for (const secret of [
      SIGNING_SECRET,
      TEST_ENCRYPTION_KEY,
      testDeliveryDeps().actionLinkKey.toString('hex'),
      testDeliveryDeps().actionLinkKey.toString('base64'),
      w.link.token,
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('says the outcome in Slack through the press’s response URL, and calls no address outside Slack’s', async () => {
    const w = await slackWorld();
    const payload = (value: string, responseUrl: string) =>
      `payload=${encodeURIComponent(
        JSON.stringify({
          type: 'block_actions',
          user: ALICE,
          actions: [{ action_id: 'nightshift_approve', value }],
          response_url: responseUrl,
        }),
      )}`;
    expect((await press(w.destinationId, payload(w.link.token, `${slack.url}/actions/T1/42/abc`))).status).toBe(200);
    const [said] = await until(
      'Slack to be told',
      () => Promise.resolve(slack.received),
      (r) => r.length >= 1,
    );
    expect(said!.path).toBe('/actions/T1/42/abc');
    expect(JSON.parse(said!.body)).toEqual({
      replace_original: false,
      response_type: 'ephemeral',
      text: 'Approved by Slack @alice (U0ALICE).',
    });

    // A response URL elsewhere (not Slack's) is not called; a link button's press is acknowledged with nothing.
    const other = await slackWorld();
    slack.reset();
    expect((await press(other.destinationId, payload(other.link.token, 'http://127.0.0.1:9/elsewhere'))).status).toBe(
      200,
    );
    const linkPress = `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'block_actions',
        user: ALICE,
        actions: [{ action_id: 'nightshift_open' }],
        response_url: `${slack.url}/x`,
      }),
    )}`;
    const timestamp = String(Math.floor(clock.now / 1000));
    const response = await fetch(`${started().url}/hooks/slack/interactions/${other.destinationId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, linkPress),
      },
      body: linkPress,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.received).toEqual([]);
  });
});
