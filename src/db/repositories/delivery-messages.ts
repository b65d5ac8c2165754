// The messages of campaign_messages and what each outcome does to its recipient, the variants'
// counters and campaign_channel_stats_daily: set-based statements over a batch, in the worker's
// transactions (src/delivery/). Every write after a claim is fenced by the row's state (and a
// message's attempt number), so a worker that was only slow cannot undo another's work.
import type { SqlSession } from '../port.ts';
import { DELIVERABLE_ASSET } from './delivery-claims.ts';

export interface NewMessage {
  id: string;
  campaign_id: string;
  contact_id: string;
  step_index: number;
  asset_id: string;
  variant_id: string;
  channel: 'email' | 'sms';
  to_address: string;
  links: string[];
  sms_body: string | null;
}

/**
 * Records messages before they are handed to a transport ('sending', attempt 1). Returns the ids
 * written: one whose (campaign, contact, step) has a message already is not, and is never sent.
 */
export async function insertMessages(
  s: SqlSession,
  tenantId: string,
  messages: readonly NewMessage[],
  claimedAt: Date,
) {
  if (messages.length === 0) return new Set<string>();
  const written = await s.query<{ id: string }>(
    `INSERT INTO campaign_messages
       (tenant_id, id, campaign_id, contact_id, step_index, asset_id, variant_id, channel, to_address, links, sms_body, claimed_at)
     SELECT $1, d.id, d.campaign_id, d.contact_id, d.step_index, d.asset_id, d.variant_id, d.channel, d.to_address,
            coalesce((SELECT array_agg(l) FROM jsonb_array_elements_text(d.links) AS l), '{}'), d.sms_body, $12
       FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::int[], $6::uuid[], $7::uuid[], $8::text[], $9::text[], $10::jsonb[], $11::text[])
            AS d (id, campaign_id, contact_id, step_index, asset_id, variant_id, channel, to_address, links, sms_body)
     ON CONFLICT (tenant_id, campaign_id, contact_id, step_index) DO NOTHING
     RETURNING id`,
    [
      tenantId,
      messages.map((m) => m.id),
      messages.map((m) => m.campaign_id),
      messages.map((m) => m.contact_id),
      messages.map((m) => m.step_index),
      messages.map((m) => m.asset_id),
      messages.map((m) => m.variant_id),
      messages.map((m) => m.channel),
      messages.map((m) => m.to_address),
      messages.map((m) => JSON.stringify(m.links)),
      messages.map((m) => m.sms_body),
      claimedAt,
    ],
  );
  return new Set(written.map((row) => row.id));
}

/** A recipient's step, done with or passed over; sentAt is set when a message went out. */
export interface StepDone {
  campaign_id: string;
  contact_id: string;
  step_index: number;
  sent_at: Date | null;
}

/**
 * Moves recipients past a step: to 'waiting' for the next one (its delay counted from the send, or
 * from the same time as before when the step was passed over), or 'ended' as completed when it was
 * the last. Only recipients still 'sending': one a reply or an unsubscribe ended meanwhile stays ended.
 * The planner takes 'sending' recipients to be few (they are: a claim's worth per worker) and reads
 * them first, through campaign_recipients_sending_idx (migration 0036); before that index it read
 * every recipient not yet ended, 63 ms a claim of 500 with 30,000 waiting, 9 ms since.
 */
const ADVANCE = `
  UPDATE campaign_recipients r
     SET next_step_index = d.step_index + 1,
         waiting_since = coalesce(d.sent_at, r.waiting_since),
         not_before = NULL,
         sequence_state = CASE WHEN more.next THEN 'waiting' ELSE 'ended' END,
         ended_reason = CASE WHEN more.next THEN NULL ELSE 'completed' END,
         status = CASE WHEN d.sent_at IS NOT NULL AND r.status = 'queued' THEN 'sent' ELSE r.status END,
         updated_at = now()
    FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::timestamptz[]) AS d (campaign_id, contact_id, step_index, sent_at)
   CROSS JOIN LATERAL (
     SELECT EXISTS (
       SELECT 1 FROM content_assets a
        WHERE a.tenant_id = $1 AND a.campaign_id = d.campaign_id AND ${DELIVERABLE_ASSET} AND a.step_index > d.step_index
     ) AS next
   ) more
   WHERE r.tenant_id = $1 AND r.campaign_id = d.campaign_id AND r.contact_id = d.contact_id
     AND r.sequence_state = 'sending'`;

export async function advanceRecipients(s: SqlSession, tenantId: string, steps: readonly StepDone[]): Promise<void> {
  if (steps.length === 0) return;
  await s.query(ADVANCE, [
    tenantId,
    steps.map((d) => d.campaign_id),
    steps.map((d) => d.contact_id),
    steps.map((d) => d.step_index),
    steps.map((d) => d.sent_at),
  ]);
}

export type EndReason = 'bounced' | 'failed' | 'suppressed' | 'unsubscribed' | 'stopped' | 'complained' | 'replied';

/**
 * Ends recipients' sequences. An opt-out or a bounce also marks one that had ended otherwise; a
 * reply ends only a running sequence, and never hides a bounce or an unsubscribe.
 */
export async function endRecipients(
  s: SqlSession,
  tenantId: string,
  ends: readonly { campaign_id: string; contact_id: string; reason: EndReason }[],
): Promise<void> {
  if (ends.length === 0) return;
  await s.query(
    `UPDATE campaign_recipients r
        SET sequence_state = 'ended', ended_reason = CASE WHEN r.sequence_state = 'ended' THEN r.ended_reason ELSE d.reason END,
            not_before = NULL, updated_at = now(),
            status = CASE d.reason WHEN 'bounced' THEN 'bounced' WHEN 'failed' THEN 'failed'
                                   WHEN 'suppressed' THEN 'suppressed'
                                   WHEN 'replied' THEN CASE WHEN r.status IN ('bounced', 'unsubscribed') THEN r.status
                                                            ELSE 'replied' END
                                   ELSE 'unsubscribed' END
       FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS d (campaign_id, contact_id, reason)
      WHERE r.tenant_id = $1 AND r.campaign_id = d.campaign_id AND r.contact_id = d.contact_id
        AND (r.sequence_state <> 'ended' OR d.reason IN ('bounced', 'unsubscribed', 'stopped', 'complained'))`,
    [tenantId, ends.map((e) => e.campaign_id), ends.map((e) => e.contact_id), ends.map((e) => e.reason)],
  );
}

/** Puts claimed recipients back to wait until `not_before` (SMS quiet hours), the step unchanged. */
export async function postponeRecipients(
  s: SqlSession,
  tenantId: string,
  waits: readonly { campaign_id: string; contact_id: string; not_before: Date }[],
): Promise<void> {
  if (waits.length === 0) return;
  await s.query(
    `UPDATE campaign_recipients r
        SET sequence_state = 'waiting', not_before = d.not_before, updated_at = now()
       FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) AS d (campaign_id, contact_id, not_before)
      WHERE r.tenant_id = $1 AND r.campaign_id = d.campaign_id AND r.contact_id = d.contact_id
        AND r.sequence_state = 'sending'`,
    [tenantId, waits.map((w) => w.campaign_id), waits.map((w) => w.contact_id), waits.map((w) => w.not_before)],
  );
}

export interface SentMessage {
  id: string;
  attempts: number;
  /** Null when not known (an e-mail whose answer was lost): the row keeps what it has. */
  provider_id: string | null;
  sent_at: Date;
}

/**
 * Marks messages sent ('sent', or 'unconfirmed' when nobody heard the provider's answer) and counts
 * them: one send per message in its campaign's stats for the UTC day it went and in its variant's
 * counter, then moves the recipients on. Returns the steps it moved past.
 */
const CONFIRM_SENT = `
  WITH sent AS (
    UPDATE campaign_messages m
       SET status = $6, provider_id = coalesce(d.provider_id, m.provider_id), sent_at = d.sent_at,
           error = NULL, retry_at = NULL, updated_at = now()
      FROM unnest($2::uuid[], $3::int[], $4::text[], $5::timestamptz[]) AS d (id, attempts, provider_id, sent_at)
     WHERE m.tenant_id = $1 AND m.id = d.id AND m.status = 'sending' AND m.attempts = d.attempts
    RETURNING m.campaign_id, m.contact_id, m.step_index, m.variant_id, m.channel, m.sent_at
  ), daily AS (
    INSERT INTO campaign_channel_stats_daily AS st (tenant_id, campaign_id, stat_date, channel, sends)
    SELECT $1, campaign_id, (sent_at AT TIME ZONE 'UTC')::date, channel, count(*) FROM sent GROUP BY 2, 3, 4
    ON CONFLICT (tenant_id, campaign_id, stat_date, channel)
    DO UPDATE SET sends = st.sends + excluded.sends, updated_at = now()
  ), counted AS (
    UPDATE content_variants v SET sends = v.sends + n.sends
      FROM (SELECT variant_id, count(*) AS sends FROM sent GROUP BY variant_id) n
     WHERE v.tenant_id = $1 AND v.id = n.variant_id
  )
  SELECT campaign_id, contact_id, step_index, sent_at FROM sent`;

export async function confirmSent(
  s: SqlSession,
  tenantId: string,
  sent: readonly SentMessage[],
  status: 'sent' | 'unconfirmed' = 'sent',
): Promise<StepDone[]> {
  if (sent.length === 0) return [];
  const steps = await s.query<StepDone>(CONFIRM_SENT, [
    tenantId,
    sent.map((m) => m.id),
    sent.map((m) => m.attempts),
    sent.map((m) => m.provider_id),
    sent.map((m) => m.sent_at),
    status,
  ]);
  await advanceRecipients(s, tenantId, steps);
  return steps;
}

export interface UnsentMessage {
  id: string;
  attempts: number;
  /** deferred: tried again from retry_at; failed/bounced: for good; suppressed: nothing went out. */
  status: 'deferred' | 'failed' | 'bounced' | 'suppressed';
  error: string | null;
  retry_at: Date | null;
}

/**
 * Writes the outcome of messages that did not go out, and counts the bounces among them in
 * campaign_channel_stats_daily (a bounce reported back later is counted by the fold, once per
 * message: bounced_at is set here). Returns the ones written, with their recipients.
 */
export function markUnsent(s: SqlSession, tenantId: string, unsent: readonly UnsentMessage[]) {
  if (unsent.length === 0) return Promise.resolve([]);
  return s.query<{ id: string; campaign_id: string; contact_id: string; channel: 'email' | 'sms'; to_address: string }>(
    `WITH written AS (
       UPDATE campaign_messages m
          SET status = d.status, error = d.error, retry_at = d.retry_at, updated_at = now(),
              bounced_at = CASE WHEN d.status = 'bounced' THEN now() ELSE m.bounced_at END
         FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::timestamptz[]) AS d (id, attempts, status, error, retry_at)
        WHERE m.tenant_id = $1 AND m.id = d.id AND m.status = 'sending' AND m.attempts = d.attempts
       RETURNING m.id, m.campaign_id, m.contact_id, m.channel, m.to_address, m.status, m.bounced_at
     ), daily AS (
       INSERT INTO campaign_channel_stats_daily AS st (tenant_id, campaign_id, stat_date, channel, bounces)
       SELECT $1, campaign_id, (bounced_at AT TIME ZONE 'UTC')::date, channel, count(*)
         FROM written WHERE status = 'bounced' GROUP BY 2, 3, 4
       ON CONFLICT (tenant_id, campaign_id, stat_date, channel)
       DO UPDATE SET bounces = st.bounces + excluded.bounces, updated_at = now()
     )
     SELECT id, campaign_id, contact_id, channel, to_address FROM written`,
    [
      tenantId,
      unsent.map((m) => m.id),
      unsent.map((m) => m.attempts),
      unsent.map((m) => m.status),
      unsent.map((m) => m.error),
      unsent.map((m) => m.retry_at),
    ],
  );
}

/**
 * The tenant's sending campaigns that have steps to deliver and nobody left to send them to become
 * 'completed' (one launched with an empty audience too); returns their ids. A campaign without
 * e-mail or SMS steps (an ad campaign) is not the delivery's to complete.
 */
export async function completeFinishedCampaigns(s: SqlSession, tenantId: string) {
  const done = await s.query<{ id: string }>(
    `UPDATE campaigns c
        SET status = 'completed', completed_at = now(), version = c.version + 1, updated_at = now()
      WHERE c.tenant_id = $1 AND c.status = 'sending'
        AND EXISTS (SELECT 1 FROM content_assets a WHERE a.tenant_id = $1 AND a.campaign_id = c.id AND ${DELIVERABLE_ASSET})
        AND NOT EXISTS (SELECT 1 FROM campaign_recipients r
                         WHERE r.tenant_id = $1 AND r.campaign_id = c.id AND r.sequence_state <> 'ended')
     RETURNING c.id`,
    [tenantId],
  );
  return done.map((row) => row.id);
}

export interface StaleMessage {
  id: string;
  channel: 'email' | 'sms';
  to_address: string;
  sms_body: string | null;
  attempts: number;
  claimed_at: Date;
  /** Whether its worker marked it handed over (in this attempt: a retry's claim clears the mark); only then may a provider have it. */
  handed_over: boolean;
}

/**
 * Marks messages as about to be handed to their transport, each only while it is still 'sending'
 * in the attempt its worker claimed: one another worker has since reconciled (or claimed again)
 * is not marked, and its worker must not hand it over. Returns the ids marked.
 */
export async function markHandedOver(
  s: SqlSession,
  tenantId: string,
  messages: readonly { id: string; attempts: number }[],
  at: Date,
) {
  const marked = await s.query<{ id: string }>(
    `UPDATE campaign_messages m SET handed_at = $4
       FROM unnest($2::uuid[], $3::int[]) AS d (id, attempts)
      WHERE m.tenant_id = $1 AND m.id = d.id AND m.status = 'sending' AND m.attempts = d.attempts
     RETURNING m.id`,
    [tenantId, messages.map((m) => m.id), messages.map((m) => m.attempts), at],
  );
  return new Set(marked.map((row) => row.id));
}

/**
 * Takes messages left 'sending' since before `staleBefore` (their worker died, or is stuck past
 * its timeouts): their claim time moves to `now`, so no other reconciler takes them meanwhile.
 * A worker that was only slow still writes its own outcome first: both writes are fenced alike.
 */
export function claimStaleMessages(
  s: SqlSession,
  tenantId: string,
  options: { channels: readonly string[]; staleBefore: Date; now: Date; limit: number },
) {
  return s.query<StaleMessage>(
    `WITH stale AS (
       SELECT id, claimed_at FROM campaign_messages
        WHERE tenant_id = $1 AND status = 'sending' AND claimed_at < $3 AND channel = ANY($2::text[])
        ORDER BY claimed_at
        LIMIT $5
          FOR UPDATE SKIP LOCKED
     )
     UPDATE campaign_messages m SET claimed_at = $4, updated_at = now()
       FROM stale
      WHERE m.tenant_id = $1 AND m.id = stale.id
     RETURNING m.id, m.channel, m.to_address, m.sms_body, m.attempts, stale.claimed_at,
               m.handed_at IS NOT NULL AS handed_over`,
    [tenantId, options.channels, options.staleBefore, options.now, options.limit],
  );
}

/** The message an event names, as its recipient's consequences need it. */
export function messageForEvent(s: SqlSession, tenantId: string, messageId: string) {
  return s
    .query<{
      id: string;
      campaign_id: string;
      contact_id: string;
      channel: 'email' | 'sms';
      to_address: string;
      links: string[];
    }>(
      `SELECT id, campaign_id, contact_id, channel, to_address, links FROM campaign_messages
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, messageId],
    )
    .then((found) => found[0]);
}

/** The message Twilio names by its SID (status callbacks). */
export async function messageIdByProviderId(s: SqlSession, tenantId: string, providerId: string) {
  const [row] = await s.query<{ id: string }>(
    'SELECT id FROM campaign_messages WHERE tenant_id = $1 AND provider_id = $2 LIMIT 1',
    [tenantId, providerId],
  );
  return row?.id;
}

/**
 * The last SMS sent to a number: what an inbound SMS (a reply, a STOP) answers. One still 'sending'
 * counts, and is the last: the person can answer before the worker has written the send down.
 */
export async function lastSmsTo(s: SqlSession, tenantId: string, phone: string) {
  const [row] = await s.query<{ id: string }>(
    `SELECT id FROM campaign_messages
      WHERE tenant_id = $1 AND channel = 'sms' AND to_address = $2 AND (sent_at IS NOT NULL OR status = 'sending')
      ORDER BY coalesce(sent_at, claimed_at) DESC LIMIT 1`,
    [tenantId, phone],
  );
  return row?.id;
}
