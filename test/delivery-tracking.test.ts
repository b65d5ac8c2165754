// Opens and clicks end to end over real HTTP: a message goes out through a real SMTP server, and
// the links in the HTML that arrived are followed against the API on a loopback port. An open and a
// click count once per message in the stats and the variant's counters, whatever is fetched again;
// a forged, expired or misused token records nothing; the click address leads only to the
// message's own links (no open redirect).
import { describe, expect, it } from 'vitest';
import { foldMessageEvents } from '../src/delivery/fold-events.ts';
import { signToken, trackingKey } from '../src/delivery/tracking-token.ts';
import {
  type DeliveryWorld,
  deliver,
  emailStats,
  eventCount,
  launchedCampaign,
  messagesOf,
  recipientOf,
  senderTenant,
  variantCounters,
} from './support/delivery-world.ts';
import { TEST_ENCRYPTION_KEY, useTestApi } from './support/test-api.ts';
import { useSmtpSink } from './support/use-smtp-sink.ts';

const key = trackingKey(TEST_ENCRYPTION_KEY);

/** The same token with one byte of its body flipped: well-formed, its MAC no longer its own. */
function flipped(token: string, at = 20): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('opens and clicks over HTTP', () => {
  const { db, api } = useTestApi();
  const smtp = useSmtpSink();

  /** One contact mailed through the sink with the API's links; the message as received, with its links. */
  async function mailed() {
    const sink = smtp();
    sink.reset();
    const t = await senderTenant(db(), { smtp: sink });
    const w = await launchedCampaign(db(), t, {
      contacts: [{ email: 'ada@example.com', first_name: 'Ada' }],
      steps: [
        {
          channel: 'email',
          variants: [
            {
              label: 'A',
              subject: 'Hello {{ first_name }}',
              body: 'See https://example.com/offer?ref=1 and the docs at https://example.org/docs#start.',
            },
          ],
        },
      ],
    });
    await db().session((s) =>
      s.query(
        "UPDATE campaigns SET utm_source = 'nightshift', utm_medium = 'email', utm_campaign = 'drip' WHERE id = $1",
        [w.campaignId],
      ),
    );
    expect((await deliver(db(), t, { publicUrl: api().url })).sent).toBe(1);
    const [email] = await sink.waitFor(1);
    const html = String(email!.parsed.html);
    const base = api().url.replaceAll('.', '\\.');
    const clicks = [...html.matchAll(new RegExp(`href="(${base}/t/c/[\\w-]+)"`, 'g'))].map((m) => m[1]!);
    const pixel = html.match(new RegExp(`<img src="(${base}/t/o/[\\w-]+)"`))?.[1];
    const [message] = await messagesOf(db(), w);
    return { t, w, html, clicks, pixel: pixel!, message: message! };
  }

  const countersOf = (w: DeliveryWorld) => variantCounters(db(), w, w.steps[0]!.variants.A!);

  it('counts an open once, and a click once, and leads the click to the link with its UTM tags', async () => {
    const { t, w, html, clicks, pixel } = await mailed();
    // Every link in the message is a tracked one: no anchor leads straight to a destination.
    expect(clicks).toHaveLength(2);
    expect(html).not.toMatch(/href="https:/);
    expect(pixel).toBeDefined();

    for (let i = 0; i < 2; i++) {
      const image = await fetch(pixel);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/gif');
      expect(image.headers.get('cache-control')).toBe('no-store');
      expect(
        Buffer.from(await image.arrayBuffer())
          .subarray(0, 6)
          .toString(),
      ).toBe('GIF89a');
    }
    // A link checker's HEAD counts nothing.
    for (const url of [pixel, clicks[0]!]) {
      expect((await fetch(url, { method: 'HEAD', redirect: 'manual' })).status).toBe(204);
    }
    expect((await foldMessageEvents(db(), t.tenantId)).events).toBe(2);
    expect(await emailStats(db(), w)).toEqual({ sends: 1, opens: 1, clicks: 0, replies: 0, bounces: 0 });
    expect(await countersOf(w)).toEqual({ sends: 1, opens: 1, clicks: 0, replies: 0 });
    expect((await recipientOf(db(), w, 0)).status).toBe('opened');

    const first = await fetch(clicks[0]!, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(
      'https://example.com/offer?ref=1&utm_source=nightshift&utm_medium=email&utm_campaign=drip',
    );
    const second = await fetch(clicks[1]!, { redirect: 'manual' });
    expect(second.headers.get('location')).toBe(
      'https://example.org/docs?utm_source=nightshift&utm_medium=email&utm_campaign=drip#start',
    );
    await fetch(clicks[0]!, { redirect: 'manual' });
    await foldMessageEvents(db(), t.tenantId);
    expect(await emailStats(db(), w)).toEqual({ sends: 1, opens: 1, clicks: 1, replies: 0, bounces: 0 });
    expect(await countersOf(w)).toEqual({ sends: 1, opens: 1, clicks: 1, replies: 0 });
    expect((await recipientOf(db(), w, 0)).status).toBe('clicked');
    // The funnel does not move back: a later open leaves the recipient clicked.
    await fetch(pixel);
    await foldMessageEvents(db(), t.tenantId);
    expect((await recipientOf(db(), w, 0)).status).toBe('clicked');
    expect((await emailStats(db(), w)).opens).toBe(1);
  });

  it('records nothing for a forged, misused or expired token, and redirects only to the message’s links', async () => {
    const { t, w, clicks, pixel, message } = await mailed();
    const openToken = pixel.split('/t/o/')[1]!;
    const clickToken = clicks[0]!.split('/t/c/')[1]!;
    const at = (path: string) => fetch(`${api().url}${path}`, { redirect: 'manual' });
    const payload = { tenantId: t.tenantId, messageId: message.id };
    const past = new Date(Date.now() - 60_000);

    const refusals: [string, string, number][] = [
      ['a forged open token (one byte of the message id changed)', `/t/o/${flipped(openToken)}`, 404],
      ['a forged open token (one byte of the MAC changed)', `/t/o/${flipped(openToken, 45)}`, 404],
      ['a forged click token', `/t/c/${flipped(clickToken)}`, 404],
      ['a click token whose link index was changed', `/t/c/${flipped(clickToken, 34)}`, 404],
      ['an open token on the click address', `/t/c/${openToken}`, 404],
      ['a click token on the open address', `/t/o/${clickToken}`, 404],
      ['an open token on the unsubscribe address', `/u/${openToken}`, 404],
      ['an expired click token', `/t/c/${signToken(key, { ...payload, kind: 'click', link: 0 }, past)}`, 410],
      ['an expired open token', `/t/o/${signToken(key, { ...payload, kind: 'open' }, past)}`, 404],
      [
        'a token signed by another key',
        `/t/o/${signToken(Buffer.alloc(32, 7), { ...payload, kind: 'open' }, new Date(Date.now() + 60_000))}`,
        404,
      ],
      ['a truncated token', `/t/c/${clickToken.slice(0, -4)}`, 404],
      // Open redirect: a genuine token naming a link the message does not have leads nowhere.
      [
        'a click token past the message’s links',
        `/t/c/${signToken(key, { ...payload, kind: 'click', link: 2 }, new Date(Date.now() + 60_000))}`,
        404,
      ],
      [
        'a click token at the last link index',
        `/t/c/${signToken(key, { ...payload, kind: 'click', link: 0xffff }, new Date(Date.now() + 60_000))}`,
        404,
      ],
    ];
    for (const [label, path, status] of refusals) {
      const response = await at(path);
      expect(response.status, label).toBe(status);
      expect(response.headers.get('location'), label).toBeNull();
      expect(response.headers.get('content-type') ?? '', label).not.toContain('image/gif');
    }
    // A genuine click token for another tenant's message id names no message of that tenant.
    const stranger = signToken(
      key,
      { tenantId: crypto.randomUUID(), messageId: message.id, kind: 'click', link: 0 },
      new Date(Date.now() + 60_000),
    );
    expect((await at(`/t/c/${stranger}`)).status).toBe(404);
    // Not a token at all (a URL where the token goes) does not route.
    expect((await at(`/t/c/${encodeURIComponent('https://evil.example/')}`)).status).toBe(404);

    expect(await eventCount(db(), t.tenantId)).toBe(0);
    await foldMessageEvents(db(), t.tenantId);
    expect(await emailStats(db(), w)).toEqual({ sends: 1, opens: 0, clicks: 0, replies: 0, bounces: 0 });
    expect((await recipientOf(db(), w, 0)).status).toBe('sent');
  });
});
