// bench:send, part 2 (issue 25, "tracking ingestion"): `events` open and click events of sent
// e-mails folded into the stats, side by side in one run, on one database:
//   ours        - foldMessageEvents (the message-events task for one tenant): batches of 10,000
//                 unfolded events, each one statement under the tenant's row-level security that
//                 marks the events folded, stamps each message's first open and click, moves each
//                 recipient's funnel status, adds to the variants' opens and clicks, and upserts
//                 campaign_channel_stats_daily (one open and one click per message at most, on the
//                 day it first happened);
//   limit       - the issue's: one bare INSERT ... SELECT ... ON CONFLICT, as the database owner:
//                 the same unfolded events joined to their messages (for the campaign and channel),
//                 counted per campaign, UTC day and channel (distinct messages per kind, so the
//                 counts come out as ours) and added to campaign_channel_stats_daily. It marks
//                 nothing folded (run twice, it counts twice), writes no message, recipient or
//                 variant, and does not look at what a message already had (a second open on a
//                 later batch counts again);
//   same writes - a second limit, bare SQL doing the writes ours does, as the database owner, in
//                 one transaction of five statements each reading the unfolded events: the limit's
//                 upsert, the variants' opens and clicks, each message's first open and click (one
//                 UPDATE of each message once), each recipient's status ('clicked' or 'opened': it
//                 does not rank the funnel), and every event marked folded. No batches, no
//                 row-level security, no skipping of messages still being sent, no look at what a
//                 message or recipient already had beyond keeping a stamp already set.
// Each round's events are new (60% first opens, 10% second opens of the same messages, 30% clicks
// of opened messages, over two UTC days), on messages no earlier round touched; the limit reads
// ours' events first, then ours folds them; then the same-writes side folds a like set of events
// of messages of its own. The stats each adds must be the same. Target: ours >= 0.7 × limit in
// events/s, the faster round of each side; ours over the same writes is reported beside it.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/port.ts';
import { deliverDueMessages } from '../../src/delivery/deliver.ts';
import { foldMessageEvents } from '../../src/delivery/fold-events.ts';
import type { MessageTransport } from '../../src/delivery/transport.ts';
import { launchedEmailCampaign } from './email-campaign.ts';
import { cpuMeter, round, say } from './harness.ts';

export const EVENTS_TARGET_RATIO = 0.7;
const ROUNDS = 2;

/** A tenant with one campaign whose `messages` e-mails the delivery worker has sent. */
async function sentCampaign(db: Database, messages: number) {
  const world = await launchedEmailCampaign(db, messages);
  await db.session((s) =>
    s.query("UPDATE campaign_recipients SET waiting_since = now() - interval '4 days' WHERE tenant_id = $1", [
      world.tenantId,
    ]),
  );
  // Sent by the delivery worker itself (its claims, renders and writes: the tables as delivery
  // leaves them), through a transport that accepts every message at once.
  const accepting: MessageTransport = {
    channel: 'email',
    concurrency: 50,
    send: (message) => Promise.resolve({ providerId: `<${message.id}@sender.example>` }),
    findSent: () => Promise.resolve('unknowable'),
    close: () => Promise.resolve(),
  };
  const report = await deliverDueMessages(db, {
    tenantId: world.tenantId,
    transports: { email: accepting },
    links: { publicUrl: 'https://nightshift.example.com', key: randomBytes(32), trackOpens: true, trackClicks: true },
    emailDomain: 'sender.example',
    timeLimitMs: 3_600_000,
    // Launched four days ago, sent three days ago: the events come after.
    now: () => new Date(Date.now() - 3 * 86_400_000),
  });
  if (report.sent !== messages) {
    throw new Error(`the worker sent ${report.sent} of ${messages} messages: ${JSON.stringify(report).slice(0, 2000)}`);
  }
  return world;
}

/**
 * Appends block `n`'s events: first opens of messages [n × opened, (n + 1) × opened) in id order,
 * second opens an hour after the first of the first sixth of them, clicks two hours after the first
 * open of the last half of them, all within one of the two UTC days before today.
 */
async function appendRound(db: Database, tenantId: string, events: number, n: number) {
  const opened = Math.round(events * 0.6);
  const reopened = Math.round(events * 0.1);
  const clicked = events - opened - reopened;
  await db.transaction((s) =>
    s.query(
      `WITH m AS (
         SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM campaign_messages WHERE tenant_id = $1
         ORDER BY id OFFSET $2 LIMIT $3
       ), first AS (
         SELECT id, i, date_trunc('day', now() AT TIME ZONE 'UTC') - (1 + i % 2) * interval '1 day' + (i % 40000) * interval '1 second' AS at
           FROM m
       )
       INSERT INTO message_events (tenant_id, message_id, kind, occurred_at)
       SELECT $1, id, 'opened', at AT TIME ZONE 'UTC' FROM first
       UNION ALL
       SELECT $1, id, 'opened', (at + interval '1 hour') AT TIME ZONE 'UTC' FROM first WHERE i % $3 < $4
       UNION ALL
       SELECT $1, id, 'clicked', (at + interval '2 hours') AT TIME ZONE 'UTC' FROM first WHERE i % $3 >= $3 - $5`,
      [tenantId, n * opened, opened, reopened, clicked],
    ),
  );
  await db.session((s) => s.exec('ANALYZE message_events'));
  return { opened, reopened, clicked };
}

const STATS = `SELECT coalesce(sum(opens), 0)::int AS opens, coalesce(sum(clicks), 0)::int AS clicks
  FROM campaign_channel_stats_daily WHERE tenant_id = $1`;

async function statsOf(db: Database, tenantId: string) {
  const [row] = await db.session((s) => s.query<{ opens: number; clicks: number }>(STATS, [tenantId]));
  return row!;
}

/** The limit: the unfolded events counted into the stats by one statement. */
const BARE_FOLD = `
  INSERT INTO campaign_channel_stats_daily AS st (tenant_id, campaign_id, stat_date, channel, opens, clicks)
  SELECT e.tenant_id, m.campaign_id, (e.occurred_at AT TIME ZONE 'UTC')::date, m.channel,
         count(DISTINCT e.message_id) FILTER (WHERE e.kind = 'opened'),
         count(DISTINCT e.message_id) FILTER (WHERE e.kind = 'clicked')
    FROM message_events e JOIN campaign_messages m ON m.tenant_id = e.tenant_id AND m.id = e.message_id
   WHERE e.tenant_id = $1 AND e.folded_at IS NULL
   GROUP BY 1, 2, 3, 4
  ON CONFLICT (tenant_id, campaign_id, stat_date, channel)
  DO UPDATE SET opens = st.opens + excluded.opens, clicks = st.clicks + excluded.clicks, updated_at = now()`;

/**
 * The same writes as ours, bare: one transaction, each statement reading the unfolded events (the
 * last marks them folded). Stats first, as the limit; the messages' stamps keep one already set.
 */
const SAME_WRITES = [
  BARE_FOLD,
  `UPDATE content_variants v SET opens = v.opens + n.opens, clicks = v.clicks + n.clicks
     FROM (SELECT m.variant_id, count(DISTINCT e.message_id) FILTER (WHERE e.kind = 'opened') AS opens,
                  count(DISTINCT e.message_id) FILTER (WHERE e.kind = 'clicked') AS clicks
             FROM message_events e JOIN campaign_messages m ON m.tenant_id = e.tenant_id AND m.id = e.message_id
            WHERE e.tenant_id = $1 AND e.folded_at IS NULL GROUP BY m.variant_id) n
    WHERE v.tenant_id = $1 AND v.id = n.variant_id`,
  `UPDATE campaign_messages m
      SET opened_at = coalesce(m.opened_at, n.opened), clicked_at = coalesce(m.clicked_at, n.clicked), updated_at = now()
     FROM (SELECT message_id, min(occurred_at) FILTER (WHERE kind = 'opened') AS opened,
                  min(occurred_at) FILTER (WHERE kind = 'clicked') AS clicked
             FROM message_events WHERE tenant_id = $1 AND folded_at IS NULL GROUP BY message_id) n
    WHERE m.tenant_id = $1 AND m.id = n.message_id`,
  `UPDATE campaign_recipients r SET status = CASE WHEN n.clicked THEN 'clicked' ELSE 'opened' END, updated_at = now()
     FROM (SELECT m.campaign_id, m.contact_id, bool_or(e.kind = 'clicked') AS clicked
             FROM message_events e JOIN campaign_messages m ON m.tenant_id = e.tenant_id AND m.id = e.message_id
            WHERE e.tenant_id = $1 AND e.folded_at IS NULL GROUP BY 1, 2) n
    WHERE r.tenant_id = $1 AND r.campaign_id = n.campaign_id AND r.contact_id = n.contact_id`,
  'UPDATE message_events SET folded_at = now() WHERE tenant_id = $1 AND folded_at IS NULL',
];

/** What the same-writes side must leave: no event unfolded, as many messages and recipients opened as the opens. */
const WRITTEN = `SELECT (SELECT count(*) FROM message_events WHERE tenant_id = $1 AND folded_at IS NULL)::int AS unfolded,
  (SELECT count(*) FROM campaign_messages WHERE tenant_id = $1 AND opened_at IS NOT NULL)::int AS messages,
  (SELECT count(*) FROM campaign_recipients WHERE tenant_id = $1 AND status IN ('opened', 'clicked'))::int AS recipients`;

async function writtenOf(db: Database, tenantId: string) {
  const [row] = await db.session((s) =>
    s.query<{ unfolded: number; messages: number; recipients: number }>(WRITTEN, [tenantId]),
  );
  return row!;
}

async function timed(db: Database, tenantId: string, events: number, work: () => Promise<number>) {
  const before = await statsOf(db, tenantId);
  const cpu = cpuMeter();
  const started = performance.now();
  const folded = await work();
  const seconds = (performance.now() - started) / 1000;
  const spent = cpu();
  const after = await statsOf(db, tenantId);
  return {
    events,
    folded,
    seconds: round(seconds, 3),
    events_per_s: Math.round(events / seconds),
    added: { opens: after.opens - before.opens, clicks: after.clicks - before.clicks },
    cpu_seconds: { this_process: round(spent.process), machine: round(spent.machine) },
  };
}

export type EventsRun = Awaited<ReturnType<typeof timed>>;

export interface EventsResult {
  events: number;
  rounds: { limit: EventsRun; ours: EventsRun; same_writes: EventsRun }[];
  best: { limit_events_per_s: number; ours_events_per_s: number; same_writes_events_per_s: number };
  ratio_ours_over_limit: number;
  ratio_ours_over_same_writes: number;
  target: string;
  pass: boolean;
}

export async function eventsSide(db: Database, scale: { events: number }): Promise<EventsResult> {
  const { events } = scale;
  // A block of messages per round for ours (and the limit), and one per round for the same writes.
  const world = await sentCampaign(db, Math.round(events * 0.6) * ROUNDS * 2);
  await db.session((s) => s.exec('VACUUM ANALYZE'));
  const rounds: EventsResult['rounds'] = [];
  for (let n = 0; n < ROUNDS; n++) {
    const kinds = await appendRound(db, world.tenantId, events, n);
    const limit = await timed(db, world.tenantId, events, async () => {
      await db.session((s) => s.query(BARE_FOLD, [world.tenantId]));
      return events;
    });
    const ours = await timed(
      db,
      world.tenantId,
      events,
      async () => (await foldMessageEvents(db, world.tenantId)).events,
    );
    await appendRound(db, world.tenantId, events, ROUNDS + n);
    const before = await writtenOf(db, world.tenantId);
    const sameWrites = await timed(db, world.tenantId, events, async () => {
      await db.transaction(async (s) => {
        for (const statement of SAME_WRITES) await s.query(statement, [world.tenantId]);
      });
      return events;
    });
    const after = await writtenOf(db, world.tenantId);
    if (
      after.unfolded !== 0 ||
      after.messages - before.messages !== kinds.opened ||
      after.recipients - before.recipients !== kinds.opened
    ) {
      throw new Error(`the same writes left ${JSON.stringify(after)} after ${JSON.stringify(before)}`);
    }
    const expected = { opens: kinds.opened, clicks: kinds.clicked };
    for (const [side, run] of [
      ['limit', limit],
      ['ours', ours],
      ['same writes', sameWrites],
    ] as const) {
      if (run.folded !== events || run.added.opens !== expected.opens || run.added.clicks !== expected.clicks) {
        throw new Error(
          `${side} folded ${run.folded} events into ${JSON.stringify(run.added)}, not ${JSON.stringify(expected)}`,
        );
      }
    }
    say(
      `events round ${n + 1}: limit ${limit.events_per_s} events/s (${limit.seconds} s), ours ${ours.events_per_s} events/s (${ours.seconds} s), same writes ${sameWrites.events_per_s} events/s (${sameWrites.seconds} s)`,
    );
    rounds.push({ limit, ours, same_writes: sameWrites });
  }
  const best = {
    limit_events_per_s: Math.max(...rounds.map((r) => r.limit.events_per_s)),
    ours_events_per_s: Math.max(...rounds.map((r) => r.ours.events_per_s)),
    same_writes_events_per_s: Math.max(...rounds.map((r) => r.same_writes.events_per_s)),
  };
  const ratio = best.ours_events_per_s / best.limit_events_per_s;
  return {
    events,
    rounds,
    best,
    ratio_ours_over_limit: round(ratio),
    ratio_ours_over_same_writes: round(best.ours_events_per_s / best.same_writes_events_per_s),
    target: `>= ${EVENTS_TARGET_RATIO} × limit`,
    pass: ratio >= EVENTS_TARGET_RATIO,
  };
}
