// /api/senders: how the tenant sends e-mail (SMTP) and SMS (Twilio), and "send a test message".
// Admins set and test senders; secrets go in and never come out (docs/delivery.md).
import { z } from 'zod';
import {
  emailSenderInput,
  SENDER_CHANNELS,
  senderList,
  senderRecord,
  senderTestInput,
  senderTestResult,
  smsSenderInput,
} from '../contract/senders.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import {
  inboundMailAddress,
  listSenders,
  saveEmailSender,
  saveSmsSender,
  setSenderEnabled,
  testSender,
} from '../services/senders.ts';
import type { ApiRouter } from './router.ts';

export interface DeliveryRouteDeps {
  delivery: DeliveryDeps;
}

const channelParams = z.strictObject({ channel: z.enum(SENDER_CHANNELS) });

export function senderRoutes(api: ApiRouter, deps: DeliveryRouteDeps): void {
  const tag = 'Delivery';
  const { delivery } = deps;

  api.tenant(
    {
      method: 'get',
      path: '/api/senders',
      tag,
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

  api.tenant(
    {
      method: 'put',
      path: '/api/senders/email',
      tag,
      summary: 'Set the e-mail sender (SMTP)',
      description:
        'A secret left out (password, dkim.private_key) keeps the stored one. Saving makes the sender active again.',
      access: 'admin',
      body: emailSenderInput,
      responses: { 200: { description: 'The sender', schema: senderRecord } },
    },
    async ({ c, db, principal, body }) => c.json(await saveEmailSender(db, delivery, principal.tenantId, body)),
  );

  api.tenant(
    {
      method: 'put',
      path: '/api/senders/sms',
      tag,
      summary: 'Set the SMS sender (Twilio)',
      description: 'auth_token left out keeps the stored one. Saving makes the sender active again.',
      access: 'admin',
      body: smsSenderInput,
      responses: { 200: { description: 'The sender', schema: senderRecord } },
    },
    async ({ c, db, principal, body }) => c.json(await saveSmsSender(db, delivery, principal.tenantId, body)),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/senders/{channel}/enabled',
      tag,
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
      tag,
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
