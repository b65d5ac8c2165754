// The addresses recipients reach from a message, outside the API (they take no credentials: the
// signed token in the path is the credential): the open pixel, the click redirect, and the
// unsubscribe page with its RFC 8058 one-click POST. Answers are small, uncached and never say
// more than that a link is not valid.
import type { Context, Hono } from 'hono';
import type { Database } from '../db/port.ts';
import {
  followClick,
  recordOpen,
  type TrackingRefusal,
  unsubscribe,
  unsubscribeTarget,
} from '../services/message-tracking.ts';
import type { AuthEnv } from './authenticate.ts';
import { escapeHtml, noStore, page } from './public-page.ts';

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const TOKEN = ':token{[A-Za-z0-9_-]{16,400}}';

export function trackingRoutes(app: Hono<AuthEnv>, deps: { db: Database; trackingKey: Buffer }): void {
  const { db, trackingKey } = deps;

  app.get(`/t/o/${TOKEN}`, async (c) => {
    if (isHead(c)) return checked(c);
    const counted = await recordOpen(db, trackingKey, c.req.param('token'));
    noStore(c);
    // A forged pixel gets no image: nothing was counted, and nothing says why.
    if (!counted) return c.body(null, 404);
    return c.body(PIXEL, 200, { 'content-type': 'image/gif' });
  });

  app.get(`/t/c/${TOKEN}`, async (c) => {
    if (isHead(c)) return checked(c);
    const click = await followClick(db, trackingKey, c.req.param('token'));
    noStore(c);
    if (!click.ok)
      return page(c, click.reason === 'expired' ? 410 : 404, 'Link not available', refusalText(click.reason));
    return c.redirect(click.url, 302);
  });

  app.get(`/u/${TOKEN}`, async (c) => {
    const target = await unsubscribeTarget(db, trackingKey, c.req.param('token'));
    noStore(c);
    if (!target.ok) return page(c, target.reason === 'expired' ? 410 : 404, 'Unsubscribe', refusalText(target.reason));
    // A GET only shows the choice: mail scanners follow links, and must not unsubscribe anyone.
    return page(
      c,
      200,
      'Unsubscribe',
      `<p>Stop messages to <strong>${escapeHtml(target.address)}</strong>?</p>
       <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
       <button type="submit">Unsubscribe</button></form>`,
    );
  });

  // The one-click POST of RFC 8058 (List-Unsubscribe=One-Click in the body) and the page's own form.
  app.post(`/u/${TOKEN}`, async (c) => {
    const done = await unsubscribe(db, trackingKey, c.req.param('token'));
    noStore(c);
    if (!done.ok) return page(c, done.reason === 'expired' ? 410 : 404, 'Unsubscribe', refusalText(done.reason));
    return page(c, 200, 'Unsubscribed', '<p>You are unsubscribed: no more messages will be sent to this address.</p>');
  });
}

/** Hono answers a HEAD with the GET handler; a HEAD is a link checker's, not a person's. */
const isHead = (c: Context) => c.req.method === 'HEAD';

/** What a link checker gets: an answer that counts nothing. */
function checked(c: Context) {
  noStore(c);
  return c.body(null, 204);
}

function refusalText(reason: TrackingRefusal): string {
  return reason === 'expired'
    ? '<p>This link has expired. Reply to the message to reach its sender.</p>'
    : '<p>This link is not valid.</p>';
}
