// The tenant's senders, as the API and the CLI manage them: saved with their secrets encrypted (a
// secret left out keeps the stored one), listed without them, and tried with a real test message.

import type {
  EmailSenderInput,
  SenderChannel,
  SenderRecord,
  SenderTestResult,
  SmsSenderInput,
} from '../contract/senders.ts';
import type { Database } from '../db/port.ts';
import {
  recordSenderTest,
  type SenderRow,
  saveSender,
  sendersOf,
  setSenderStatus,
} from '../db/repositories/delivery-senders.ts';
import { DeliveryError } from '../delivery/errors.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import { type EmailSettings, type SenderSecrets, secretsOf, senderTransport } from '../delivery/sender-transports.ts';
import { messageIdDomain } from '../delivery/smtp-transport.ts';
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import { addressProblem } from '../domain/message-address.ts';
import { inboundMailSignature } from './delivery-hooks.ts';

function record(row: SenderRow, deps: DeliveryDeps): SenderRecord {
  const secrets = secretsOf(row, deps.cipher);
  return {
    id: row.id,
    channel: row.channel,
    settings: row.settings,
    secrets_set: Object.entries(secrets).flatMap(([name, value]) => (value ? [name] : [])),
    status: row.status,
    last_error: row.last_error,
    tested_at: row.tested_at?.toISOString() ?? null,
    test_result: row.test_result,
    updated_at: row.updated_at.toISOString(),
  };
}

export async function listSenders(db: Database, deps: DeliveryDeps, tenantId: string): Promise<SenderRecord[]> {
  const rows = await db.session((s) => sendersOf(s, tenantId));
  return rows.map((row) => record(row, deps));
}

async function storedSecrets(db: Database, deps: DeliveryDeps, tenantId: string, channel: SenderChannel) {
  const rows = await db.session((s) => sendersOf(s, tenantId));
  const row = rows.find((r) => r.channel === channel);
  return row ? secretsOf(row, deps.cipher) : {};
}

export async function saveEmailSender(db: Database, deps: DeliveryDeps, tenantId: string, input: EmailSenderInput) {
  const { password, dkim, ...rest } = input;
  const stored = await storedSecrets(db, deps, tenantId, 'email');
  const secrets: SenderSecrets = {
    password: password ?? stored.password,
    dkim_private_key: dkim ? (dkim.private_key ?? stored.dkim_private_key) : undefined,
  };
  const settings: EmailSettings = {
    ...rest,
    ...(dkim ? { dkim: { domain: dkim.domain, selector: dkim.selector } } : {}),
  };
  const row = await db.transaction((s) =>
    saveSender(s, tenantId, { channel: 'email', settings, secrets: deps.cipher.encrypt(JSON.stringify(secrets)) }),
  );
  return record(row, deps);
}

export async function saveSmsSender(db: Database, deps: DeliveryDeps, tenantId: string, input: SmsSenderInput) {
  const { auth_token, ...settings } = input;
  const stored = await storedSecrets(db, deps, tenantId, 'sms');
  const secrets: SenderSecrets = { auth_token: auth_token ?? stored.auth_token };
  const row = await db.transaction((s) =>
    saveSender(s, tenantId, { channel: 'sms', settings, secrets: deps.cipher.encrypt(JSON.stringify(secrets)) }),
  );
  return record(row, deps);
}

export async function setSenderEnabled(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  channel: SenderChannel,
  enabled: boolean,
) {
  const row = await db.transaction((s) => setSenderStatus(s, tenantId, channel, enabled ? 'active' : 'disabled'));
  if (!row) throw new NotFoundError(`no ${channel} sender`);
  return record(row, deps);
}

/**
 * Sends one real message through the channel's sender and records what came of it. A refusal is
 * an answer (ok: false, in the provider's words), not an error: the person is testing for it.
 */
export async function testSender(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  channel: SenderChannel,
  to: string,
): Promise<SenderTestResult> {
  const problem = addressProblem(channel, to);
  if (problem) throw new InvalidInputError([{ field: 'to', in: 'body', message: problem }]);
  const rows = await db.session((s) => sendersOf(s, tenantId));
  const row = rows.find((r) => r.channel === channel);
  if (!row) throw new NotFoundError(`no ${channel} sender`);
  const transport = senderTransport(row, deps);
  const id = crypto.randomUUID();
  let result: SenderTestResult;
  try {
    const text = 'This is a test message from Nightshift: your sender works.';
    const sent = await transport.send(
      channel === 'email'
        ? {
            id,
            to,
            subject: 'Nightshift test message',
            text,
            html: `<p>${text}</p>`,
            messageIdHeader: `<ns.test.${id}@${messageIdDomain((row.settings as EmailSettings).from_address)}>`,
          }
        : { id, to, text },
    );
    result = {
      ok: true,
      provider_id: sent.providerId,
      detail: `accepted by the ${channel === 'email' ? 'SMTP server' : 'Twilio'}`,
    };
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    result = { ok: false, provider_id: null, detail: `${error.kind}: ${error.message}` };
  } finally {
    await transport.close();
  }
  await db.transaction((s) =>
    recordSenderTest(s, tenantId, channel, `${result.ok ? 'ok' : 'failed'} (to ${to}): ${result.detail}`),
  );
  return result;
}

/** Where the tenant's mail server posts inbound mail (replies, bounces): signed, so only it can. */
export function inboundMailAddress(deps: DeliveryDeps, tenantId: string): string {
  return `${deps.publicUrl}/hooks/email/inbound/${tenantId}/${inboundMailSignature(deps.trackingKey, tenantId)}`;
}
