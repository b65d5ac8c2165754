// /api/senders: how the tenant sends e-mail (SMTP) and SMS (Twilio), and "send a test message".
// Admins set and test senders; secrets go in and never come out (docs/delivery.md).
import { z } from 'zod';
import {
  emailSenderInput,
  SENDER_CHANNELS,
  type SenderChannel,
  type SenderRecord,
  senderList,
  senderRecord,
  senderTestInput,
  senderTestResult,
  smsSenderInput,
} from '../contract/senders.ts';
import type { Database } from '../db/port.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import {
  inboundMailAddress,
  listSenders,
  saveEmailSender,
  saveSmsSender,
  setSenderEnabled,
  testSender,
} from '../services/senders.ts';
import type { ApiRouter, TenantRouteInput } from './router.ts';

export interface DeliveryRouteDeps {
  delivery: DeliveryDeps;
}

const channelParams = z.strictObject({ channel: z.enum(SENDER_CHANNELS) });
const TAG = 'Delivery';

interface SenderPut<B extends z.ZodType> {
  summary: string;
  description: string;
  body: B;
  /** Takes the body as the router validated it. */
  save: (
    db: Database,
    deps: DeliveryDeps,
    tenantId: string,
    input: TenantRouteInput<undefined, undefined, B>['body'],
  ) => Promise<SenderRecord>;
}

/**
 * PUT /api/senders/{email|sms}: one route per channel (each has a body of its own, so the path is
 * not a parameter), alike but for what it takes and which service saves it.
 */
function putSender<B extends z.ZodType>(
  api: ApiRouter,
  delivery: DeliveryDeps,
  channel: SenderChannel,
  put: SenderPut<B>,
): void {
  api.tenant(
    {
      method: 'put',
      path: `/api/senders/${channel}`,
      tag: TAG,
      summary: put.summary,
      description: put.description,
      access: 'admin',
      body: put.body,
      responses: { 200: { description: 'The sender', schema: senderRecord } },
    },
    async ({ c, db, principal, body }) => c.json(await put.save(db, delivery, principal.tenantId, body)),
  );
}

export function senderRoutes(api: ApiRouter, deps: DeliveryRouteDeps): void {
  const { delivery } = deps;

  api.tenant(
    {
      method: 'get',
      path: '/api/senders',
      tag: TAG,
      summary: 'List the tenant’s senders (e-mail and SMS), without their secrets',
      access: 'member',
      responses: {
        200: {
          description: 'The senders, and where the tenant’s mail server posts inbound mail',
          schema: senderList,
        },
      },
    },
    async ({ c, db, principal }) =>
      c.json({
        data: await listSenders(db, delivery, principal.tenantId),
        inbound_mail_url: inboundMailAddress(delivery, principal.tenantId),
      }),
  );

  putSender(api, delivery, 'email', {
    summary: 'Set the e-mail sender (SMTP)',
    description:
      'A secret left out (password, dkim.private_key) keeps the stored one. Saving makes the sender active again.',
    body: emailSenderInput,
    save: saveEmailSender,
  });
  putSender(api, delivery, 'sms', {
    summary: 'Set the SMS sender (Twilio)',
    description: 'auth_token left out keeps the stored one. Saving makes the sender active again.',
    body: smsSenderInput,
    save: saveSmsSender,
  });

  api.tenant(
    {
      method: 'post',
      path: '/api/senders/{channel}/enabled',
      tag: TAG,
      summary: 'Turn a sender on or off',
      access: 'admin',
      params: channelParams,
      body: z.strictObject({ enabled: z.boolean() }),
      responses: { 200: { description: 'The sender', schema: senderRecord } },
    },
    async ({ c, db, principal, params, body }) =>
      c.json(await setSenderEnabled(db, delivery, principal.tenantId, params.channel, body.enabled)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/senders/{channel}/test',
      tag: TAG,
      summary: 'Send a test message through the sender',
      description:
        'Sends one real message. A refusal by the provider is an answer (ok: false, with its words), recorded on the sender as test_result.',
      access: 'admin',
      params: channelParams,
      body: senderTestInput,
      responses: { 200: { description: 'What came of it', schema: senderTestResult } },
    },
    async ({ c, db, principal, params, body }) =>
      c.json(await testSender(db, delivery, principal.tenantId, params.channel, body.to)),
  );
}
