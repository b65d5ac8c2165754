// The tenant's notification destinations, as the API manages them (docs/notifications.md): saved
// with their secrets encrypted (a secret left out keeps the stored one), listed without them, tried
// with a real test message, and their delivery log read and resent from.
import { randomUUID } from 'node:crypto';
import type {
  DeliveryRecord,
  DestinationInput,
  DestinationRecord,
  DestinationTestResult,
} from '../contract/notifications.ts';
import type { Database } from '../db/port.ts';
import { deliveryLog, requeueDelivery } from '../db/repositories/notification-deliveries.ts';
import {
  type DestinationRow,
  type DestinationWrite,
  deleteDestination,
  destinationById,
  destinationsOf,
  insertDestination,
  setDestinationEnabled,
  setDestinationSecrets,
  updateDestination,
} from '../db/repositories/notification-destinations.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import { tenantTransports } from '../delivery/sender-transports.ts';
import { InvalidInputError, NotFoundError } from '../domain/errors.ts';
import type { Keyset } from '../domain/keyset.ts';
import { type DestinationSecrets, sendEmails, sendSlack, sendWebhook } from '../notify/channels.ts';
import { ATTEMPT_TIMEOUT_MS } from '../notify/deliver.ts';
import { envelopeOf } from '../notify/envelope.ts';
import type { PostResult } from '../notify/http-post.ts';
import { newSigningSecret } from '../notify/webhook-signature.ts';

const secretsOf = (row: DestinationRow, deps: DeliveryDeps) =>
  JSON.parse(deps.cipher.decrypt(row.secrets)) as DestinationSecrets;

function record(row: DestinationRow, deps: DeliveryDeps): DestinationRecord {
  const secrets = secretsOf(row, deps);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    settings: row.settings,
    secrets_set: Object.entries(secrets).flatMap(([name, value]) => (value ? [name] : [])),
    subscriptions: row.subscriptions as DestinationRecord['subscriptions'],
    status: row.status,
    disabled_reason: row.disabled_reason,
    failing_since: row.failing_since?.toISOString() ?? null,
    consecutive_failures: row.consecutive_failures,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

async function found(db: Database, tenantId: string, id: string): Promise<DestinationRow> {
  const row = await db.session((s) => destinationById(s, tenantId, id));
  if (!row) throw new NotFoundError(`no notification destination ${id}`);
  return row;
}

/** What is stored of an input: settings in clear, secrets (new ones over the stored) to encrypt. */
function toWrite(input: DestinationInput, stored: DestinationSecrets, deps: DeliveryDeps): DestinationWrite {
  const base = { kind: input.kind, name: input.name, subscriptions: input.subscriptions };
  if (input.kind === 'slack') {
    const webhookUrl = input.webhook_url ?? stored.webhook_url;
    if (!webhookUrl) {
      throw new InvalidInputError([{ field: 'webhook_url', message: 'is required for a new Slack destination' }]);
    }
    const secrets: DestinationSecrets = {
      webhook_url: webhookUrl,
      signing_secret: input.signing_secret ?? stored.signing_secret,
    };
    return {
      ...base,
      settings: { webhook_host: new URL(webhookUrl).host },
      secrets: deps.cipher.encrypt(JSON.stringify(secrets)),
    };
  }
  if (input.kind === 'email') {
    return { ...base, settings: { addresses: input.addresses }, secrets: deps.cipher.encrypt('{}') };
  }
  const secrets: DestinationSecrets = { signing_secret: stored.signing_secret ?? newSigningSecret() };
  return { ...base, settings: { url: input.url }, secrets: deps.cipher.encrypt(JSON.stringify(secrets)) };
}

export async function listDestinations(db: Database, deps: DeliveryDeps, tenantId: string) {
  const rows = await db.session((s) => destinationsOf(s, tenantId));
  return rows.map((row) => record(row, deps));
}

/** A new destination; a webhook's signing secret is answered this once. */
export async function createDestination(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  input: DestinationInput,
  createdBy: string | null,
): Promise<DestinationRecord & { signing_secret?: string }> {
  const write = toWrite(input, {}, deps);
  const id = await db.transaction((s) => insertDestination(s, tenantId, write, createdBy));
  const row = await found(db, tenantId, id);
  const signingSecret = input.kind === 'webhook' ? secretsOf(row, deps).signing_secret : undefined;
  return { ...record(row, deps), ...(signingSecret ? { signing_secret: signingSecret } : {}) };
}

export async function saveDestination(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  id: string,
  input: DestinationInput,
): Promise<DestinationRecord> {
  const stored = await found(db, tenantId, id);
  if (stored.kind !== input.kind) {
    throw new InvalidInputError([{ field: 'kind', message: `is ${stored.kind}; a destination keeps its kind` }]);
  }
  const write = toWrite(input, secretsOf(stored, deps), deps);
  await db.transaction((s) => updateDestination(s, tenantId, id, write));
  return record(await found(db, tenantId, id), deps);
}

export async function removeDestination(db: Database, tenantId: string, id: string): Promise<void> {
  if (!(await db.transaction((s) => deleteDestination(s, tenantId, id)))) {
    throw new NotFoundError(`no notification destination ${id}`);
  }
}

export async function setDestinationOn(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  id: string,
  enabled: boolean,
): Promise<DestinationRecord> {
  await found(db, tenantId, id);
  await db.transaction((s) =>
    setDestinationEnabled(s, tenantId, id, enabled, enabled ? null : 'turned off by a person', new Date()),
  );
  return record(await found(db, tenantId, id), deps);
}

/** A webhook's new signing secret (the old one stops verifying at once), answered this once. */
export async function rollSigningSecret(db: Database, deps: DeliveryDeps, tenantId: string, id: string) {
  const row = await found(db, tenantId, id);
  if (row.kind !== 'webhook') {
    throw new InvalidInputError([
      { field: 'id', message: `is a ${row.kind} destination; only webhooks are signed by us` },
    ]);
  }
  const signingSecret = newSigningSecret();
  await db.transaction((s) =>
    setDestinationSecrets(s, tenantId, id, deps.cipher.encrypt(JSON.stringify({ signing_secret: signingSecret }))),
  );
  return { signing_secret: signingSecret };
}

/** Sends a test message now, outside the outbox and the log: the answer says what the destination said. */
export async function testDestination(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  id: string,
  options: { fetch?: typeof fetch } = {},
): Promise<DestinationTestResult> {
  const row = await found(db, tenantId, id);
  const [tenant] = await db.session((s) =>
    s.query<{ slug: string }>('SELECT slug FROM tenants WHERE id = $1', [tenantId]),
  );
  const secrets = secretsOf(row, deps);
  const sendDeps = { publicUrl: deps.publicUrl, timeoutMs: ATTEMPT_TIMEOUT_MS, ...options };
  const at = new Date();
  const event = {
    event_id: randomUUID(),
    event_type: 'test',
    event_data: { message: `A test from Nightshift: this destination (${row.name}) works.` },
    event_created_at: at,
  };
  let result: PostResult;
  if (row.kind === 'webhook') {
    const envelope = envelopeOf(event, { id: tenantId, slug: tenant?.slug ?? '' });
    result = await sendWebhook(String(row.settings.url), secrets, envelope, 1, at, sendDeps);
  } else if (row.kind === 'slack') {
    result = await sendSlack(secrets, { event, actions: [] }, sendDeps);
  } else {
    const email = (await db.session((s) => tenantTransports(s, tenantId, deps))).transports.email;
    const addresses = (row.settings.addresses as string[] | undefined) ?? [];
    try {
      result = await sendEmails(
        email,
        addresses,
        { event, actionsFor: () => Promise.resolve([]) },
        {
          ...sendDeps,
          idFor: (to) => `notify-test.${event.event_id}.${addresses.indexOf(to)}`,
        },
      );
    } finally {
      await email?.close();
    }
  }
  return {
    ok: result.ok,
    response_status: result.status,
    latency_ms: result.latencyMs,
    detail: result.ok ? 'delivered' : (result.error ?? 'failed'),
  };
}

export async function destinationDeliveries(
  db: Database,
  tenantId: string,
  destinationId: string,
  page: { limit: number; cursor?: Keyset | undefined },
) {
  await found(db, tenantId, destinationId);
  const rows = await db.session((s) => deliveryLog(s, tenantId, destinationId, page));
  return rows.map((row): DeliveryRecord & { sort_key: string } => ({
    ...row,
    event_type: row.event_type as DeliveryRecord['event_type'],
    cadence: row.cadence as DeliveryRecord['cadence'],
    status: row.status as DeliveryRecord['status'],
    next_attempt_at: row.next_attempt_at?.toISOString() ?? null,
    last_attempt_at: row.last_attempt_at?.toISOString() ?? null,
    delivered_at: row.delivered_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  }));
}

/** "Resend": the delivery goes out again with the same event id (receivers dedupe on it). */
export async function resendDelivery(db: Database, tenantId: string, deliveryId: string, at = new Date()) {
  const row = await db.transaction((s) => requeueDelivery(s, tenantId, deliveryId, at));
  if (!row) throw new NotFoundError(`no notification delivery ${deliveryId}`);
  return { delivery_id: deliveryId, status: row.status };
}
