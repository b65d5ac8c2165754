// Benchmark: issue 25's three targets for delivery, Postgres backend, each side by side with its
// bare limit in one run:
//   1. send       - `messages` recipients of a launched campaign delivered by the delivery worker
//                   to a local SMTP sink (a child process) with `connections` connections, beside a
//                   bare pooled nodemailer loop sending as many like messages with as many
//                   connections: ours >= 0.8 × limit in messages/s; the peak RSS at 10,000 and at
//                   `messages` (bench/support/send-smtp.ts);
//   2. events     - `events` opens and clicks folded into the stats by foldMessageEvents, beside one
//                   bare INSERT ... SELECT ... ON CONFLICT of the same events into
//                   campaign_channel_stats_daily: ours >= 0.7 × limit in events/s; and beside bare
//                   SQL doing the writes ours does (events, messages, recipients, variants, stats):
//                   reported, no target (bench/support/send-events.ts);
//   3. recipients - the runner generating `recipients` recipients, beside the bare INSERT ... SELECT
//                   of the same rows into campaign_recipients with its constraints (ours <= 1.5 ×
//                   limit in seconds) and into a copy without them (what they cost)
//                   (bench/support/recipient-generation.ts, shared with bench:runner).
// Each part in a scratch database of its own, one after the other on one Postgres server.
// Usage: npm run bench:send [-- --url postgres://... --messages 100000 --connections 5
//        --events 50000 --recipients 1000000] [-- --only send|events|recipients]: one part alone,
//        printed; when the results file holds a full run of the same scale, the part's figures
//        replace that run's (with a date and machine of their own: `recorded_alone`), the others'
//        stay.
// Results: bench/results/send-postgres.json. Exits 0 even when a target is missed (prints MISSED).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createScratchDatabase } from '../scripts/support/scratch-database.ts';
import { startThrowawayPostgres } from '../scripts/support/throwaway-postgres.ts';
import { createTokenCipher } from '../src/crypto/token-cipher.ts';
import { migrate } from '../src/db/migrate.ts';
import type { SystemDatabase } from '../src/db/port.ts';
import { openPostgres } from '../src/db/postgres.ts';
import type { DeliveryDeps } from '../src/delivery/run-delivery.ts';
import { trackingKey } from '../src/delivery/tracking-token.ts';
import { actionLinkKey } from '../src/notify/action-link-token.ts';
import { giveUpAfter, loadNow, machine, round, say } from './support/harness.ts';
import { generationRounds, seedSegment } from './support/recipient-generation.ts';
import { EVENTS_TARGET_RATIO, type EventsResult, type EventsRun, eventsSide } from './support/send-events.ts';
import { SEND_TARGET_RATIO, type SmtpResult, smtpSide } from './support/send-smtp.ts';
import { startSmtpSinkProcess } from './support/smtp-sink.ts';

const PARTS = ['send', 'events', 'recipients'] as const;
type Part = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    messages: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '5' },
    events: { type: 'string', default: '50000' },
    recipients: { type: 'string', default: '1000000' },
    only: { type: 'string' },
  },
});
const scale = {
  messages: Number(values.messages),
  connections: Number(values.connections),
  events: Number(values.events),
  recipients: Number(values.recipients),
};
if (values.only !== undefined && !PARTS.includes(values.only as Part)) {
  throw new Error(`--only takes ${PARTS.join(', ')}`);
}
const runs = (part: Part) => values.only === undefined || values.only === part;
const RECIPIENTS_TARGET_RATIO = 1.5;

giveUpAfter('bench:send', 45 * 60_000);

const KEY = '5e'.repeat(32);
const deps: DeliveryDeps = {
  cipher: createTokenCipher(KEY),
  trackingKey: trackingKey(KEY),
  actionLinkKey: actionLinkKey(KEY),
  publicUrl: 'https://nightshift.example.com',
  twilioBaseUrl: 'http://127.0.0.1:9',
};

/** A scratch database, migrated, for one part; dropped after it. */
async function inScratch<T>(serverUrl: string, work: (db: SystemDatabase) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase(serverUrl);
  const db = await openPostgres(scratch.url);
  try {
    await migrate(db);
    return await work(db);
  } finally {
    await db.close().catch(() => {});
    await scratch.drop().catch(() => {});
  }
}

async function sendPart(serverUrl: string): Promise<SmtpResult> {
  const sink = await startSmtpSinkProcess();
  try {
    return await inScratch(serverUrl, (db) => smtpSide(db, deps, sink, scale));
  } finally {
    await sink.close();
  }
}

async function recipientsPart(serverUrl: string) {
  return inScratch(serverUrl, async (db) => {
    const w = await seedSegment(db, scale.recipients);
    await db.session((s) => s.exec('VACUUM ANALYZE'));
    say(`seeded one segment of ${scale.recipients} contacts`);
    const generated = await generationRounds(db, w, { rounds: 2, copies: true, say });
    const limit = generated.best.limit;
    const ratio = generated.best.ours.seconds / limit;
    const side = (perRound: number[], best: number) => ({
      seconds_per_round: perRound.map((s) => round(s, 3)),
      best_seconds: round(best, 3),
    });
    const bare = generated.best.copies.bare!;
    const keys = generated.best.copies.keys!;
    return {
      recipients: scale.recipients,
      limit: side(generated.limit, limit),
      ours: side(
        generated.ours.map((r) => r.seconds),
        generated.best.ours.seconds,
      ),
      copy_without_constraints: side(generated.copies.bare, bare),
      copy_without_foreign_keys: side(generated.copies.keys, keys),
      ratio_ours_over_limit: round(ratio),
      constraints_cost: {
        all_seconds: round(limit - bare, 3),
        foreign_keys_seconds: round(limit - keys, 3),
        primary_key_checks_and_indexes_seconds: round(keys - bare, 3),
        limit_over_copy_without_constraints: round(limit / bare),
      },
      target: `<= ${RECIPIENTS_TARGET_RATIO} × limit (seconds)`,
      pass: ratio <= RECIPIENTS_TARGET_RATIO,
    };
  });
}

type RecipientsResult = Awaited<ReturnType<typeof recipientsPart>>;

const n = (value: number) => Math.round(value).toLocaleString('en-US');
const verdict = (pass: boolean) => (pass ? 'met' : 'MISSED');

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   '),
  );
}

function print(send?: SmtpResult, events?: EventsResult, recipients?: RecipientsResult) {
  const lines: string[] = [];
  if (send) {
    const row = (label: string, r: SmtpResult['full']['limit'], ratio: string, target: string, met: string) => [
      label,
      r.seconds.toFixed(2),
      n(r.messages_per_s),
      ratio,
      `${n(r.bytes_per_message)} B`,
      `${r.peak_rss_mib} MiB`,
      target,
      met,
    ];
    lines.push(
      `\nbench:send, 1. e-mail to a local SMTP sink, ${send.connections} connections (sink: a child process)`,
      ...table([
        ['', 'seconds', 'msgs/s', 'ratio', 'size', 'peak RSS', 'target', ''],
        row(`limit: bare nodemailer loop, ${n(send.small.limit.messages)}`, send.small.limit, '1.00', '', ''),
        row(
          `ours: deliverForTenant, ${n(send.small.ours.messages)}`,
          send.small.ours,
          (send.small.ours.messages_per_s / send.small.limit.messages_per_s).toFixed(2),
          '',
          '',
        ),
        ...send.full_rounds.flatMap((r, i) => [
          row(`round ${i + 1}: limit, ${n(r.limit.messages)}`, r.limit, '1.00', '', ''),
          row(`round ${i + 1}: ours, ${n(r.ours.messages)}`, r.ours, send.ratio_per_round[i]!.toFixed(2), '', ''),
        ]),
        row(`limit: bare nodemailer loop, ${n(send.full.limit.messages)}, faster`, send.full.limit, '1.00', '', ''),
        row(
          `ours: deliverForTenant, ${n(send.full.ours.messages)}, faster`,
          send.full.ours,
          send.ratio_ours_over_limit.toFixed(2),
          `>= ${SEND_TARGET_RATIO}x limit`,
          verdict(send.pass),
        ),
      ]),
    );
  }
  if (events) {
    const bestOf = (side: 'limit' | 'ours' | 'same_writes') =>
      events.rounds.map((r) => r[side]).reduce((a, b) => (a.events_per_s >= b.events_per_s ? a : b));
    const row = (label: string, run: EventsRun, ratio = '', target = '', met = '') => [
      label,
      run.seconds.toFixed(3),
      n(run.events_per_s),
      ratio,
      target,
      met,
    ];
    lines.push(
      `\nbench:send, 2. ${n(events.events)} open and click events folded into the stats (best of ${events.rounds.length} rounds)`,
      ...table([
        ['', 'seconds', 'events/s', 'ratio', 'target', ''],
        row('limit: one INSERT ... SELECT ... ON CONFLICT', bestOf('limit'), '1.00'),
        row(
          'ours: foldMessageEvents',
          bestOf('ours'),
          events.ratio_ours_over_limit.toFixed(2),
          `>= ${EVENTS_TARGET_RATIO}x limit`,
          verdict(events.pass),
        ),
        row('same writes: bare SQL, one transaction', bestOf('same_writes')),
        ['ours over the same writes', '', '', events.ratio_ours_over_same_writes.toFixed(2), '', ''],
      ]),
    );
  }
  if (recipients) {
    const r = recipients;
    const row = (label: string, seconds: number, target = '', met = '') => [
      label,
      seconds.toFixed(2),
      n(r.recipients / seconds),
      (seconds / r.limit.best_seconds).toFixed(2),
      target,
      met,
    ];
    lines.push(
      `\nbench:send, 3. ${n(r.recipients)} recipients generated (best of 2 alternating rounds)`,
      ...table([
        ['', 'seconds', 'rows/s', 'ratio', 'target', ''],
        row('copy without constraints (no key, FK, check, index)', r.copy_without_constraints.best_seconds),
        row('copy with all but the foreign keys', r.copy_without_foreign_keys.best_seconds),
        row('limit: bare INSERT ... SELECT into campaign_recipients', r.limit.best_seconds),
        row(
          'ours: runCampaignAutomation',
          r.ours.best_seconds,
          `<= ${RECIPIENTS_TARGET_RATIO}x limit`,
          verdict(r.pass),
        ),
      ]),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

const serverUrl = values.url ?? process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const runStarted = performance.now();
const loadAtStart = loadNow();
const rssAtStart = round(process.memoryUsage.rss() / 2 ** 20, 1);
const server = serverUrl ? undefined : await startThrowawayPostgres();
try {
  const postgresUrl = serverUrl ?? server!.url;
  const send = runs('send') ? await sendPart(postgresUrl) : undefined;
  const events = runs('events') ? await inScratch(postgresUrl, (db) => eventsSide(db, scale)) : undefined;
  const recipients = runs('recipients') ? await recipientsPart(postgresUrl) : undefined;
  print(send, events, recipients);
  const file = join(import.meta.dirname, 'results', 'send-postgres.json');
  const notes = [
    'send.ours: deliverForTenant over a campaign the runner launched (one e-mail step, two variants, demo-like copy with merge fields, two links and a call to action, tracking on), claims of 500, the sender pointed at the sink; timed from the call to its return (claims, rendering, sends, outcomes, completion)',
    'send.limit: createTransport({ pool: true, maxConnections, maxMessages: Infinity }) and as many sendMail calls in flight as connections, one message rendered beforehand and sent with only To and Message-ID varied',
    'send: the sink is a minimal smtp-server in a child process that reads each DATA stream to its end and counts it; sizes are the DATA bytes it received per message',
    'send.full_rounds: each side twice at the full count, in the order limit, ours, ours, limit (this machine is shared and its speed drifts within minutes); send.full holds the faster run of each, and ratio_ours_over_limit is theirs',
    'send.peak_rss_mib: this process, sampled every 20 ms during each run; at 10,000 and at the full count',
    'events.limit: one INSERT ... SELECT ... ON CONFLICT as the database owner: unfolded events joined to their messages, distinct messages counted per campaign, UTC day, channel and kind, added to campaign_channel_stats_daily; it marks no event folded, writes no message, recipient or variant, and ignores what a message already had',
    "events.ours: foldMessageEvents under the tenant's row-level security, statements of 10,000 events: events marked folded, messages' first open and click stamped, recipients' funnel status, variants' opens and clicks, campaign_channel_stats_daily",
    "events.same_writes: as the database owner, one transaction of five statements each reading the unfolded events (all at once, no batches): the limit's upsert, the variants' opens and clicks, each message's first open and click, each recipient's status ('clicked' or 'opened'), the events marked folded; on messages of its own, after ours; ratio_ours_over_same_writes is ours' best events/s over its best",
    "recipients: bench:runner's sides (bench/support/recipient-generation.ts), plus the same bare statement into two copies of campaign_recipients: LIKE ... INCLUDING DEFAULTS (no primary key, foreign keys, checks or indexes; NOT NULL kept) and LIKE ... INCLUDING ALL (all but the foreign keys)",
    'cpu_seconds: this process, the sink, and the whole machine (Postgres and anything else running included)',
    'recorded_alone: a part run by itself (--only) and recorded into the file of an earlier full run, its date and machine',
  ];
  const postgresVersion = () =>
    inScratch(postgresUrl, async (db) => {
      const [row] = await db.session((s) => s.query<{ v: string }>("SELECT current_setting('server_version') AS v"));
      return row?.v ?? 'unknown';
    });
  const sendOut = send && { ...send, rss_at_start_mib: rssAtStart };
  const runSeconds = () => round((performance.now() - runStarted) / 1000, 1);
  if (send && events && recipients && sendOut) {
    const out = {
      benchmark: 'send',
      date: new Date().toISOString(),
      machine: machine(loadAtStart, await postgresVersion()),
      scale,
      send: sendOut,
      events,
      recipients,
      pass: send.pass && events.pass && recipients.pass,
      notes,
      run_seconds: runSeconds(),
    };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    if (!out.pass) process.stdout.write('MISSED: a target was not met (see above)\n');
  } else {
    process.stdout.write(`${JSON.stringify({ send, events, recipients }, null, 2)}\n`);
    // One part alone replaces its figures in a full run's file of the same scale.
    const recorded = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    const part = values.only as Part;
    if (recorded && JSON.stringify(recorded.scale) === JSON.stringify(scale)) {
      const figures = { send: sendOut, events, recipients }[part];
      recorded[part] = {
        ...figures,
        recorded_alone: {
          date: new Date().toISOString(),
          machine: machine(loadAtStart, await postgresVersion()),
          run_seconds: runSeconds(),
        },
      };
      recorded.pass = PARTS.every((p) => recorded[p]?.pass === true);
      recorded.notes = notes;
      writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
      process.stdout.write(`recorded the ${part} part into ${file}\n`);
    } else {
      process.stdout.write(`not recorded: ${file} holds no full run at this scale\n`);
    }
  }
} finally {
  server?.stop();
}
