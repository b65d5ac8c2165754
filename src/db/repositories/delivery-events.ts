// What recipients and providers said about messages (table message_events): appended as it arrives
// by the tracking routes and the hooks, then folded set-based, a batch per statement, into the
// messages' timestamps and status, the recipients' funnel status, the variants' counters and
// campaign_channel_stats_daily (src/delivery/fold-events.ts).
import type { SqlSession } from '../port.ts';

export type MessageEventKind =
  | 'delivered'
  | 'opened'
  | 'clicked'
  | 'replied'
  | 'bounced'
  | 'soft_bounced'
  | 'complained'
  | 'unsubscribed'
  | 'stopped'
  | 'failed';

export interface NewMessageEvent {
  message_id: string;
  kind: MessageEventKind;
  occurred_at?: Date;
  detail?: Record<string, unknown>;
}

/** Appends events of messages of the tenant; one naming no message of the tenant is dropped. Returns how many were kept. */
export async function appendEvents(s: SqlSession, tenantId: string, events: readonly NewMessageEvent[]) {
  if (events.length === 0) return 0;
  const kept = await s.query(
    `INSERT INTO message_events (tenant_id, message_id, kind, occurred_at, detail)
     SELECT $1, d.message_id, d.kind, coalesce(d.occurred_at, now()), d.detail
       FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::jsonb[]) AS d (message_id, kind, occurred_at, detail)
      WHERE EXISTS (SELECT 1 FROM campaign_messages m WHERE m.tenant_id = $1 AND m.id = d.message_id)
     RETURNING 1`,
    [
      tenantId,
      events.map((e) => e.message_id),
      events.map((e) => e.kind),
      events.map((e) => e.occurred_at ?? null),
      events.map((e) => JSON.stringify(e.detail ?? {})),
    ],
  );
  return kept.length;
}

/** A recipient's funnel status moves forward only: an open after a reply leaves it replied. */
const FUNNEL_RANK = `CASE r.status WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'opened' THEN 3
  WHEN 'clicked' THEN 4 WHEN 'replied' THEN 5 ELSE 9 END`;

/** A recipient's status after its messages' new events (`p`: their first of each kind). */
const RECIPIENT_STATUS = `CASE
             WHEN p.bounced IS NOT NULL THEN 'bounced'
             WHEN p.unsubscribed IS NOT NULL OR p.complained IS NOT NULL THEN 'unsubscribed'
             WHEN p.replied IS NOT NULL AND ${FUNNEL_RANK} < 5 THEN 'replied'
             WHEN p.clicked IS NOT NULL AND ${FUNNEL_RANK} < 4 THEN 'clicked'
             WHEN p.opened IS NOT NULL AND ${FUNNEL_RANK} < 3 THEN 'opened'
             WHEN p.delivered IS NOT NULL AND ${FUNNEL_RANK} < 2 THEN 'delivered'
             ELSE r.status END`;

/** A message's status after its new events (`f`: the first of each kind). */
const MESSAGE_STATUS = `CASE
             WHEN f.bounced IS NOT NULL THEN 'bounced'
             WHEN f.failed AND m.status IN ('sent', 'unconfirmed') THEN 'failed'
             WHEN f.delivered IS NOT NULL AND m.status IN ('sent', 'unconfirmed') THEN 'delivered'
             -- Anything a recipient did proves an unconfirmed message went out.
             WHEN m.status = 'unconfirmed' THEN 'sent'
             ELSE m.status END`;

/** The timestamps of a message its events set, each once: `<kind>_at` takes the first event of the kind. */
const MESSAGE_STAMPS = ['delivered', 'opened', 'clicked', 'replied', 'bounced', 'unsubscribed', 'complained'];

/**
 * Folds up to `limit` unfolded events, oldest first, in one statement. Every CTE reads the rows as
 * they were before the statement (the messages as locked: folds may run side by side, one taking
 * an event of a message the other is stamping), so "first open" is an open of a message whose opened_at was null:
 * each message counts one open, one click, one reply and one bounce at most, on the UTC day it
 * first happened (a message refused when sent had its bounce counted then: markUnsent).
 *
 * The events of a message still 'sending' wait for its send to be written down: Twilio's delivery
 * report (or a quick reader's open) can come back while the worker is still sending the rest of
 * its batch. Folded then, a 'delivered' would find no sent message to mark (and stay lost once the
 * send is written 'sent'), and a 'bounced' would keep the send from being counted at all.
 *
 * The batch is marked folded by the row addresses (ctid) its locking read returned: a TID scan.
 * Written as `id IN (…)`, the planner could hash the batch and read every event the tenant ever
 * had to find it: 50,000 events folded after a million took 2.26-2.30 s that way, 1.60-1.90 s
 * this way (bench:send's events, on this 2-core machine). A locked row cannot move, so its ctid
 * holds for the statement. *
 * A message or recipient the batch would not change (a second open, a click of a recipient who
 * replied) is not written at all: no new row version, no dead one for vacuum. Those written change
 * no indexed column, so with the room migration 0038 leaves in their pages they are updated in
 * place (HOT): bench:send's 50,000 events updated 53% of the messages' rows and 66% of the
 * recipients' in place before, 95% and 99.7% after, and wrote a third less WAL.
 */
const FOLD = `
  WITH ev AS (
    UPDATE message_events e SET folded_at = now()
     WHERE e.ctid = ANY (ARRAY(
       SELECT u.ctid FROM message_events u WHERE u.tenant_id = $1 AND u.folded_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM campaign_messages m
                           WHERE m.tenant_id = $1 AND m.id = u.message_id AND m.status = 'sending')
        ORDER BY u.occurred_at LIMIT $2 FOR UPDATE OF u SKIP LOCKED))
       AND e.tenant_id = $1
    RETURNING e.message_id, e.kind, e.occurred_at
  ), firsts AS (
    SELECT message_id,
           min(occurred_at) FILTER (WHERE kind = 'delivered') AS delivered,
           min(occurred_at) FILTER (WHERE kind = 'opened') AS opened,
           min(occurred_at) FILTER (WHERE kind = 'clicked') AS clicked,
           min(occurred_at) FILTER (WHERE kind = 'replied') AS replied,
           min(occurred_at) FILTER (WHERE kind = 'bounced') AS bounced,
           min(occurred_at) FILTER (WHERE kind IN ('unsubscribed', 'stopped')) AS unsubscribed,
           min(occurred_at) FILTER (WHERE kind = 'complained') AS complained,
           bool_or(kind = 'failed') AS failed
      FROM ev GROUP BY message_id
  ), fresh AS (
    SELECT m.id, m.campaign_id, m.contact_id, m.variant_id, m.channel,
           CASE WHEN m.opened_at IS NULL THEN f.opened END AS new_open,
           CASE WHEN m.clicked_at IS NULL THEN f.clicked END AS new_click,
           CASE WHEN m.replied_at IS NULL THEN f.replied END AS new_reply,
           CASE WHEN m.bounced_at IS NULL THEN f.bounced END AS new_bounce,
           f.delivered, f.bounced, f.unsubscribed, f.complained, f.failed, f.opened, f.clicked, f.replied
      FROM firsts f JOIN campaign_messages m ON m.tenant_id = $1 AND m.id = f.message_id
    -- Locked, so that what it had is read as it is now: a fold beside this one that stamped the
    -- message's first open (from another event of it) has committed by the time the lock is ours,
    -- and the open is not counted twice.
       FOR UPDATE OF m
  ), messages AS (
    UPDATE campaign_messages m
       SET delivered_at = coalesce(m.delivered_at, f.delivered),
           opened_at = coalesce(m.opened_at, f.opened),
           clicked_at = coalesce(m.clicked_at, f.clicked),
           replied_at = coalesce(m.replied_at, f.replied),
           bounced_at = coalesce(m.bounced_at, f.bounced),
           unsubscribed_at = coalesce(m.unsubscribed_at, f.unsubscribed),
           complained_at = coalesce(m.complained_at, f.complained),
           status = ${MESSAGE_STATUS},
           updated_at = now()
      FROM fresh f WHERE m.tenant_id = $1 AND m.id = f.id
       AND (${MESSAGE_STAMPS.map((c) => `(m.${c}_at IS NULL AND f.${c} IS NOT NULL)`).join(' OR ')}
            OR ${MESSAGE_STATUS} <> m.status)
  ), daily AS (
    INSERT INTO campaign_channel_stats_daily AS st (tenant_id, campaign_id, stat_date, channel, opens, clicks, replies, bounces)
    SELECT $1, campaign_id, day, channel, sum(opens), sum(clicks), sum(replies), sum(bounces)
      FROM (SELECT campaign_id, channel, (new_open AT TIME ZONE 'UTC')::date AS day,
                   1 AS opens, 0 AS clicks, 0 AS replies, 0 AS bounces
              FROM fresh WHERE new_open IS NOT NULL
            UNION ALL
            SELECT campaign_id, channel, (new_click AT TIME ZONE 'UTC')::date, 0, 1, 0, 0 FROM fresh WHERE new_click IS NOT NULL
            UNION ALL
            SELECT campaign_id, channel, (new_reply AT TIME ZONE 'UTC')::date, 0, 0, 1, 0 FROM fresh WHERE new_reply IS NOT NULL
            UNION ALL
            SELECT campaign_id, channel, (new_bounce AT TIME ZONE 'UTC')::date, 0, 0, 0, 1 FROM fresh WHERE new_bounce IS NOT NULL) n
     GROUP BY campaign_id, day, channel
    ON CONFLICT (tenant_id, campaign_id, stat_date, channel) DO UPDATE
      SET opens = st.opens + excluded.opens, clicks = st.clicks + excluded.clicks,
          replies = st.replies + excluded.replies, bounces = st.bounces + excluded.bounces, updated_at = now()
  ), variants AS (
    UPDATE content_variants v
       SET opens = v.opens + n.opens, clicks = v.clicks + n.clicks, replies = v.replies + n.replies
      FROM (SELECT variant_id, count(new_open) AS opens, count(new_click) AS clicks, count(new_reply) AS replies
              FROM fresh GROUP BY variant_id) n
     WHERE v.tenant_id = $1 AND v.id = n.variant_id
  ), per_recipient AS (
    SELECT campaign_id, contact_id, max(replied) AS replied, max(clicked) AS clicked, max(opened) AS opened,
           max(delivered) AS delivered, max(bounced) AS bounced, max(unsubscribed) AS unsubscribed,
           max(complained) AS complained
      FROM fresh GROUP BY campaign_id, contact_id
  ), recipients AS (
    UPDATE campaign_recipients r
       SET status = ${RECIPIENT_STATUS},
           -- Sequences are not ended here: a reply, a bounce or an opt-out ended its recipient's
           -- when it arrived (src/delivery/recipient-events.ts).
           updated_at = now()
      FROM per_recipient p
     WHERE r.tenant_id = $1 AND r.campaign_id = p.campaign_id AND r.contact_id = p.contact_id
       AND ${RECIPIENT_STATUS} <> r.status
  )
  SELECT count(*)::int AS events FROM ev`;

export async function foldEvents(s: SqlSession, tenantId: string, limit: number) {
  const [row] = await s.query<{ events: number }>(FOLD, [tenantId, limit]);
  return row ?? { events: 0 };
}
