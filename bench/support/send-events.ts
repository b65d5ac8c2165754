// bench:send, part 2 (issue 25, "tracking ingestion"): `events` open and click events of sent
// e-mails folded into the stats, side by side in one run, on one database:
//   ours  - foldMessageEvents (the message-events task for one tenant): batches of 10,000 unfolded
//           events, each one statement under the tenant's row-level security that marks the events
//           folded, stamps each message's first open and click, moves each recipient's funnel
//           status, adds to the variants' opens and clicks, and upserts campaign_channel_stats_daily
//           (one open and one click per message at most, on the day it first happened);
//   limit - one bare INSERT ... SELECT ... ON CONFLICT, as the database owner: the same unfolded
//           events joined to their messages (for the campaign and channel), counted per campaign,
//           UTC day and channel (distinct messages per kind, so the counts come out as ours) and
//           added to campaign_channel_stats_daily. It marks nothing folded (run twice, it counts
//           twice), writes no message, recipient or variant, and does not look at what a message
//           already had (a second open on a later batch counts again).
// Each round's events are new (60% first opens, 10% second opens of the same messages, 30% clicks
// of opened messages, over two UTC days), on messages no earlier round touched; the limit reads
// them first, then ours folds them; the stats each adds must be the same. Target: ours >= 0.7 ×
// limit in events/s, the faster round of each side.
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
 * Appends round `n`'s events: first opens of messages [n × opened, (n + 1) × opened) in id order,
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
  rounds: { limit: EventsRun; ours: EventsRun }[];
  best: { limit_events_per_s: number; ours_events_per_s: number };
  ratio_ours_over_limit: number;
  target: string;
  pass: boolean;
}

export async function eventsSide(db: Database, scale: { events: number }): Promise<EventsResult> {
  const { events } = scale;
  const world = await sentCampaign(db, Math.round(events * 0.6) * ROUNDS);
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
    const expected = { opens: kinds.opened, clicks: kinds.clicked };
    for (const [side, run] of [
      ['limit', limit],
      ['ours', ours],
    ] as const) {
      if (run.folded !== events || run.added.opens !== expected.opens || run.added.clicks !== expected.clicks) {
        throw new Error(
          `${side} folded ${run.folded} events into ${JSON.stringify(run.added)}, not ${JSON.stringify(expected)}`,
        );
      }
    }
    say(
      `events round ${n + 1}: limit ${limit.events_per_s} events/s (${limit.seconds} s), ours ${ours.events_per_s} events/s (${ours.seconds} s)`,
    );
    rounds.push({ limit, ours });
  }
  const best = {
    limit_events_per_s: Math.max(...rounds.map((r) => r.limit.events_per_s)),
    ours_events_per_s: Math.max(...rounds.map((r) => r.ours.events_per_s)),
  };
  const ratio = best.ours_events_per_s / best.limit_events_per_s;
  return {
    events,
    rounds,
    best,
    ratio_ours_over_limit: round(ratio),
    target: `>= ${EVENTS_TARGET_RATIO} × limit`,
    pass: ratio >= EVENTS_TARGET_RATIO,
  };
}
