// Where providers call us about messages (docs/delivery.md, "Tracking"): Twilio's status callbacks
// and inbound SMS (form-encoded, signed with the tenant's auth token), and inbound mail posted raw
// (message/rfc822) by the tenant's mail server to its signed address. They take no bearer token:
// the provider's signature is the credential, checked before anything is recorded.
import type { Context, Hono } from 'hono';
import type { Database } from '../db/port.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import { isUuid } from '../domain/ids.ts';
import { type HookResult, inboundMail, twilioInbound, twilioStatus } from '../services/delivery-hooks.ts';
import type { AuthEnv } from './authenticate.ts';
import { problemResponse } from './problem.ts';

export function deliveryHookRoutes(app: Hono<AuthEnv>, deps: { db: Database; delivery: DeliveryDeps }): void {
  const { db, delivery } = deps;

  const twilio = (handle: typeof twilioStatus) => async (c: Context<AuthEnv>) => {
    const tenantId = c.req.param('tenant') ?? '';
    if (!isUuid(tenantId)) return problemResponse(c, 404, 'no such hook');
    const form = await c.req.parseBody().catch(() => ({}));
    const params = Object.fromEntries(
      Object.entries(form).flatMap(([key, value]) => (typeof value === 'string' ? [[key, value]] : [])),
    );
    // Twilio signs the address it called: ours as the public know it, with the query.
    const url = `${delivery.publicUrl}${new URL(c.req.url).pathname}${new URL(c.req.url).search}`;
    const result = await handle(db, delivery, tenantId, {
      url,
      params,
      signature: c.req.header('x-twilio-signature'),
    });
    if (!result.ok) return refused(c, result);
    return c.body('<?xml version="1.0" encoding="UTF-8"?><Response/>', 200, { 'content-type': 'text/xml' });
  };
  app.post('/hooks/twilio/status/:tenant', twilio(twilioStatus));
  app.post('/hooks/twilio/inbound/:tenant', twilio(twilioInbound));

  // Larger messages are refused by the app's body limit (8 MiB): a reply or a bounce needs no attachments.
  app.post('/hooks/email/inbound/:tenant/:signature', async (c) => {
    const tenantId = c.req.param('tenant');
    if (!isUuid(tenantId)) return problemResponse(c, 404, 'no such hook');
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (raw.length === 0) return problemResponse(c, 400, 'expects the raw message (message/rfc822) as the body');
    const result = await inboundMail(db, delivery, tenantId, c.req.param('signature'), raw);
    if (!result.ok) return refused(c, result);
    return c.json({ recorded: result.recorded });
  });
}

function refused(c: Context<AuthEnv>, result: Extract<HookResult, { ok: false }>) {
  return problemResponse(c, result.status, result.reason);
}
