// The notifications task's work for one tenant (docs/notifications.md): due deliveries claimed,
// sent to their destinations (an immediate one alone, a digest's together), each attempt's outcome
// written as soon as the destination answered, failures retried on the schedule of
// src/notify/retry-schedule.ts, and a destination that has failed for 3 days turned off and its
// owner told. Claims of CLAIM_SIZE, until none is due or the time limit passes; what a run claimed
// and did not send (its time ran out, or its destination failed) is released for the next.
import type { Database, SqlSession } from '../db/port.ts';
import {
  claimDueDeliveries,
  countDestinationAttempt,
  type DueDelivery,
  recordAttempt,
  releaseDeliveries,
} from '../db/repositories/notification-deliveries.ts';
import {
  type DestinationRow,
  destinationsOf,
  setDestinationEnabled,
} from '../db/repositories/notification-destinations.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import { tenantTransports } from '../delivery/sender-transports.ts';
import type { MessageTransport } from '../delivery/transport.ts';
import { actionLinksFor, slackRecipient } from './action-links.ts';
import { type DestinationSecrets, sendEmails, sendSlack, sendWebhook } from './channels.ts';
import { envelopeOf } from './envelope.ts';
import type { PostResult } from './http-post.ts';
import { recordNotificationEvents } from './outbox.ts';
import { GIVE_UP_AFTER_MS, nextAttemptAt } from './retry-schedule.ts';
import { type DisabledDestination, tellOwners } from './tell-owner.ts';

export const CLAIM_SIZE = 100;
/** Each attempt's timeout: a receiver should answer at once and work afterwards (as Stripe asks). */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/**
 * A destination whose every attempt failed for this long (or until a delivery gave up), and at
 * least DISABLE_AFTER_FAILURES times, is turned off.
 */
export const DISABLE_AFTER_MS = GIVE_UP_AFTER_MS;
export const DISABLE_AFTER_FAILURES = 5;

export interface NotifyOptions {
  now?: () => Date;
  timeLimitMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface NotifyReport {
  attempts: number;
  delivered: number;
  retrying: number;
  failed: number;
  /** Destinations turned off for failing, and whom that was e-mailed to. */
  disabled: string[];
  owners_told: string[];
}

interface Send {
  destination: DestinationRow;
  deliveries: DueDelivery[];
  /** A digest's period (hourly, daily); none for one event. */
  period?: string;
}

/** Immediate deliveries one message each; a destination's due digest rows one message per cadence. */
function messagesOf(claimed: readonly DueDelivery[], destinations: ReadonlyMap<string, DestinationRow>): Send[] {
  const sends: Send[] = [];
  const digests = new Map<string, Send>();
  for (const delivery of claimed) {
    const destination = destinations.get(delivery.destination_id);
    if (!destination) continue;
    if (delivery.cadence === 'immediate') {
      sends.push({ destination, deliveries: [delivery] });
      continue;
    }
    const key = `${delivery.destination_id}/${delivery.cadence}`;
    const digest = digests.get(key) ?? { destination, deliveries: [], period: delivery.cadence };
    digest.deliveries.push(delivery);
    digests.set(key, digest);
  }
  return [...sends, ...digests.values()];
}

interface RunContext {
  db: Database;
  deps: DeliveryDeps;
  tenant: { id: string; slug: string };
  options: NotifyOptions;
  sendDeps: { publicUrl: string; timeoutMs: number; fetch?: typeof fetch };
  report: NotifyReport;
  turnedOff: DisabledDestination[];
}

export async function deliverDueNotifications(
  db: Database,
  deps: DeliveryDeps,
  tenantId: string,
  options: NotifyOptions = {},
): Promise<NotifyReport> {
  const scoped = tenantScoped(db, tenantId);
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? ATTEMPT_TIMEOUT_MS;
  const deadline = Date.now() + (options.timeLimitMs ?? 4 * 60_000);
  const report: NotifyReport = { attempts: 0, delivered: 0, retrying: 0, failed: 0, disabled: [], owners_told: [] };
  const turnedOff: DisabledDestination[] = [];
  const [tenant] = await scoped.session((s) =>
    s.query<{ id: string; slug: string }>('SELECT id, slug FROM tenants WHERE id = $1', [tenantId]),
  );
  if (!tenant) return report;
  const sendDeps = { publicUrl: deps.publicUrl, timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const context: RunContext = { db: scoped, deps, tenant, options, sendDeps, report, turnedOff };
  /** Destinations that failed in this run: not claimed for again until the next. */
  const resting = new Set<string>();

  while (Date.now() < deadline) {
    const claimedAt = now();
    const claimed = await scoped.transaction((s) =>
      claimDueDeliveries(s, tenantId, claimedAt, new Date(claimedAt.getTime() - timeoutMs - 60_000), CLAIM_SIZE, [
        ...resting,
      ]),
    );
    if (claimed.length === 0) break;
    const destinations = new Map((await scoped.session((s) => destinationsOf(s, tenantId))).map((d) => [d.id, d]));
    const email = claimed.some((c) => destinations.get(c.destination_id)?.kind === 'email')
      ? (await scoped.session((s) => tenantTransports(s, tenantId, deps))).transports.email
      : undefined;
    // Destinations side by side, each one's messages in order: a slow receiver holds up only itself.
    const byDestination = Map.groupBy(messagesOf(claimed, destinations), (send) => send.destination.id);
    const attempted = new Set<string>();
    try {
      await Promise.all(
        [...byDestination.values()].map(async (sends) => {
          for (const send of sends) {
            if (Date.now() >= deadline) break;
            const result = await attempt(context, send, email, now());
            for (const d of send.deliveries) attempted.add(d.id);
            const turnedOffNow = await recordOutcome(context, send, result, claimedAt, now());
            // A destination that failed rests until the next run: the rest of its messages would
            // most likely fail the same way (a receiver down costs one timeout a run, not a claim's).
            if (!result.ok || turnedOffNow) {
              resting.add(send.destination.id);
              break;
            }
          }
        }),
      );
    } finally {
      await email?.close();
      const unsent = claimed.filter((d) => !attempted.has(d.id)).map((d) => d.id);
      if (unsent.length > 0) await scoped.transaction((s) => releaseDeliveries(s, tenantId, unsent, claimedAt));
    }
  }
  if (turnedOff.length > 0) report.owners_told = (await tellOwners(scoped, deps, tenantId, turnedOff)).told;
  return report;
}

async function attempt(context: RunContext, send: Send, email: MessageTransport | undefined, sentAt: Date) {
  const { destination, deliveries, period } = send;
  const { deps, sendDeps, tenant } = context;
  const first = deliveries[0]!;
  const secrets = JSON.parse(deps.cipher.decrypt(destination.secrets)) as DestinationSecrets;
  const actionsFor = (issuedTo: string) =>
    period ? Promise.resolve([]) : linksOf(context, first, issuedTo, destination.id);
  if (destination.kind === 'webhook') {
    const envelope = envelopeOf(first, tenant);
    return sendWebhook(String(destination.settings.url), secrets, envelope, first.attempts, sentAt, sendDeps);
  }
  if (destination.kind === 'slack') {
    // Buttons only where a press can be verified and its Slack user named (a signing secret).
    const actions = secrets.signing_secret ? await actionsFor(slackRecipient(destination.id)) : [];
    const message = period ? { digest: deliveries, period } : { event: first, actions };
    return sendSlack(secrets, message, sendDeps);
  }
  const addresses = (destination.settings.addresses as string[] | undefined) ?? [];
  return sendEmails(email, addresses, period ? { digest: deliveries, period } : { event: first, actionsFor }, {
    ...sendDeps,
    idFor: (to) => `notify.${first.id}.${addresses.indexOf(to)}.${first.attempts}`,
  });
}

/**
 * An action event's Approve / Dismiss or Roll back links, issued to this recipient (so the ledger
 * names who used one); none for other events.
 */
function linksOf(context: RunContext, item: DueDelivery, issuedTo: string, destinationId: string) {
  const data = item.event_data;
  if (typeof data.action_id !== 'string' || typeof data.status !== 'string') return Promise.resolve([]);
  const { db, deps, tenant, options } = context;
  return db.transaction((s) =>
    actionLinksFor(s, deps, {
      tenantId: tenant.id,
      actionId: data.action_id as string,
      actionType: String(data.action_type),
      status: data.status as string,
      issuedTo,
      destinationId,
      ...(options.now ? { now: options.now() } : {}),
    }),
  );
}

/** Writes the attempt; true when it turned the destination off (its other messages wait no more). */
async function recordOutcome(
  context: RunContext,
  send: Send,
  result: PostResult,
  claimedAt: Date,
  sentAt: Date,
): Promise<boolean> {
  const { destination, deliveries } = send;
  const { report, tenant } = context;
  const attempts = Math.min(...deliveries.map((d) => d.attempts));
  const firstAttempt = new Date(Math.min(...deliveries.map((d) => d.first_attempt_at.getTime())));
  const retryAt = result.ok ? null : nextAttemptAt(attempts, firstAttempt, sentAt, result.retryAfterMs);
  report.attempts += 1;
  if (result.ok) report.delivered += deliveries.length;
  else if (retryAt) report.retrying += deliveries.length;
  else report.failed += deliveries.length;
  return context.db.transaction(async (s) => {
    await recordAttempt(
      s,
      tenant.id,
      deliveries.map((d) => ({ id: d.id, claimedAt })),
      { ok: result.ok, responseStatus: result.status, latencyMs: result.latencyMs, error: result.error, retryAt },
      sentAt,
    );
    const streak = await countDestinationAttempt(s, tenant.id, destination.id, result.ok, sentAt);
    // Off once it has failed for 3 days: by the clock, or by a delivery that gave up (a quiet
    // destination sees no attempt past its last event's retries).
    const failingFor = streak?.failing_since ? sentAt.getTime() - streak.failing_since.getTime() : 0;
    const gaveUp = !result.ok && retryAt === null;
    if (!streak || streak.consecutive_failures < DISABLE_AFTER_FAILURES || (!gaveUp && failingFor < DISABLE_AFTER_MS)) {
      return false;
    }
    context.turnedOff.push(await disable(s, tenant.id, destination, streak.consecutive_failures, result.error, sentAt));
    report.disabled.push(destination.id);
    return true;
  });
}

/**
 * Turns a destination off for good failures: its waiting deliveries are cancelled, and the
 * destination.disabled event tells the tenant's other destinations; its owner is e-mailed after the run.
 */
async function disable(
  s: SqlSession,
  tenantId: string,
  destination: DestinationRow,
  failures: number,
  lastError: string | null,
  at: Date,
): Promise<DisabledDestination> {
  const reason = `every attempt failed for 3 days (${failures} attempts); last: ${lastError ?? 'no answer'}`;
  const [owner] = await s.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [destination.created_by]);
  await setDestinationEnabled(s, tenantId, destination.id, false, reason, at);
  await recordNotificationEvents(
    s,
    tenantId,
    [
      {
        type: 'destination.disabled',
        data: {
          destination: { id: destination.id, name: destination.name, kind: destination.kind },
          owner: owner?.email ?? null,
          reason,
        },
      },
    ],
    at,
  );
  const { id, name, kind } = destination;
  return { id, name, kind, owner: owner?.email ?? null, reason, at };
}
