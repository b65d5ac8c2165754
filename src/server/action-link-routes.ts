// Acting from a message (docs/notifications.md, "Acting from a message"), outside the API: they
// take no credentials. An e-mail's link opens a confirmation page (GET: changes nothing, for mail
// scanners and link previews follow links), whose form posts back to act; the signed token in the
// path is the credential. A Slack button posts to the Slack hook, signed by the Slack app.
//
// The form carries a code bound to the token (confirmationCode) rather than relying on an Origin
// check: a cross-site forgery would need the token, which is already the whole credential, so what
// is left to guard is a POST made without the page (a scanner or a script replaying the link's
// address); the code needs nothing of the browser (Origin is not sent by every client, and a proxy
// may present another origin than the configured public URL).
import type { Context, Hono } from 'hono';
import type { Database } from '../db/port.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import type { Logger } from '../log.ts';
import { actOnLink, type LinkRefusal, readActionLink } from '../notify/act-on-link.ts';
import { confirmationCode, isConfirmationCode } from '../notify/action-link-token.ts';
import { tellInSlack } from '../notify/slack-follow-up.ts';
import { slackInteraction } from '../notify/slack-interaction.ts';
import { confirmationPage, outcomePage, type PageContent, refusalPage } from './action-link-pages.ts';
import type { AuthEnv } from './authenticate.ts';
import { problemResponse } from './problem.ts';
import { noStore, page } from './public-page.ts';

const TOKEN = ':token{[A-Za-z0-9_-]{16,400}}';

export interface ActionLinkRouteDeps {
  db: Database;
  delivery: DeliveryDeps;
  /** The clock links expire by and Slack's timestamps are checked against (tests move it). */
  now: () => number;
  log: Logger;
}

export function actionLinkRoutes(app: Hono<AuthEnv>, deps: ActionLinkRouteDeps): void {
  const { db, delivery } = deps;
  const key = delivery.actionLinkKey;
  const pageOptions = () => ({ now: new Date(deps.now()), channel: { kind: 'page' as const } });

  app.get(`/act/${TOKEN}`, async (c) => {
    noStore(c);
    // Hono answers a HEAD with the GET handler: a link checker's, told nothing.
    if (c.req.method === 'HEAD') return c.body(null, 204);
    const token = c.req.param('token');
    const read = await readActionLink(db, key, token, pageOptions());
    if (!read.ok) return show(c, refusalStatus(read.reason, 'GET'), refusalPage(read.reason, read.view));
    return show(c, 200, confirmationPage(read.view, confirmationCode(key, token)));
  });

  app.post(`/act/${TOKEN}`, async (c) => {
    noStore(c);
    const token = c.req.param('token');
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const code = typeof form.confirm === 'string' ? form.confirm : '';
    if (!isConfirmationCode(key, token, code)) {
      return show(c, 403, {
        title: 'Confirm on the page',
        body: '<p>Open the link and press its button to confirm: nothing was done.</p>',
      });
    }
    const used = await actOnLink(db, key, token, pageOptions());
    if (!used.ok) return show(c, refusalStatus(used.reason, 'POST'), refusalPage(used.reason, used.view));
    return show(c, used.acted ? 200 : 409, outcomePage(used.view, used.acted, used.outcome));
  });

  // Slack wants its answer within 3 seconds: the work is one local transaction, no outside call.
  app.post('/hooks/slack/interactions/:destinationId', async (c) => {
    const answer = await slackInteraction(
      db,
      delivery,
      {
        destinationId: c.req.param('destinationId'),
        rawBody: await c.req.text(),
        timestamp: c.req.header('x-slack-request-timestamp'),
        signature: c.req.header('x-slack-signature'),
      },
      new Date(deps.now()),
    );
    if (!answer.ok) return problemResponse(c, answer.status, answer.reason);
    if (!answer.message) return c.body(null, 200);
    // After the answer, not before it: Slack waits 3 seconds for the 200, and shows only this.
    if (answer.followUp) void tellInSlack(answer.followUp, answer.message, deps.log);
    return c.json(answer.message, 200);
  });
}

/** Unknown and malformed: 404 (nothing says whether it existed); forged 403; expired 410; used 409 to act again, 410 to read. */
function refusalStatus(reason: LinkRefusal, method: 'GET' | 'POST') {
  if (reason === 'forged') return 403;
  if (reason === 'expired') return 410;
  if (reason === 'used') return method === 'POST' ? 409 : 410;
  return 404;
}

const show = (c: Context, status: 200 | 403 | 404 | 409 | 410, content: PageContent) =>
  page(c, status, content.title, content.body);
