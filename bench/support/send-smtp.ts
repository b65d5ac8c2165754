// bench:send, part 1 (issue 25, "100,000 recipients to a local SMTP sink"), side by side in one run:
//   ours  - deliverForTenant (the message-delivery task's run for one tenant) over a campaign the
//           runner launched with `messages` recipients and one e-mail step of two variants (demo-like
//           copy: merge fields, two links, a call to action, tracking on), the tenant's e-mail
//           sender pointed at the sink with `connections` connections: claims of 500 (recorded
//           before the send), rendering, the pooled SMTP transport, the outcomes written;
//   limit - a bare pooled nodemailer loop: createTransport({ pool: true, maxConnections }) and as
//           many sendMail calls in flight as connections, sending the same number of messages of
//           the same size and headers (one message rendered beforehand, only To and Message-ID
//           varied) to the same sink.
// Both at 10,000 messages, then each twice at `messages` (limit, ours, ours, limit); the target is
// judged at `messages` on each side's faster run: ours >= 0.8 × limit in messages/s. The RSS of this process is sampled through each run: its peak at 10,000 and
// at `messages` says whether memory stays flat. The sink is a child process (./smtp-sink.ts).

import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/port.ts';
import type { CampaignForMessage, ContactForMessage } from '../../src/db/repositories/delivery-claims.ts';
import { messageLinks } from '../../src/delivery/message-links.ts';
import { renderMessage } from '../../src/delivery/render-message.ts';
import { type DeliveryDeps, deliverForTenant } from '../../src/delivery/run-delivery.ts';
import { saveEmailSender } from '../../src/services/senders.ts';
import { BODY, CAMPAIGN, launchedEmailCampaign, SUBJECT } from './email-campaign.ts';
import { cpuMeter, round, say } from './harness.ts';
import type { SmtpSinkProcess } from './smtp-sink.ts';

export const SEND_TARGET_RATIO = 0.8;
const SMALL = 10_000;
const FROM = 'news@sender.example';

/** A tenant sending through the sink, with one launched campaign of `recipients` recipients. */
async function sendingTenant(
  db: Database,
  deps: DeliveryDeps,
  sink: SmtpSinkProcess,
  recipients: number,
  connections: number,
): Promise<string> {
  const { tenantId } = await launchedEmailCampaign(db, recipients, (tenantId) =>
    saveEmailSender(db, deps, tenantId, {
      host: sink.host,
      port: sink.port,
      security: 'none',
      from_address: FROM,
      from_name: 'Bench',
      max_connections: connections,
      track_opens: true,
      track_clicks: true,
    }),
  );
  // No ANALYZE after the launch: the worker meets the recipients as the runner left them, as it
  // does when it runs the minute after a launch.
  return tenantId;
}

/** Samples this process's RSS every 20 ms until stopped; the peak in MiB. */
function rssPeak(): () => number {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return () => {
    clearInterval(timer);
    return round(Math.max(peak, process.memoryUsage.rss()) / 2 ** 20, 1);
  };
}

export interface SendRun {
  messages: number;
  seconds: number;
  messages_per_s: number;
  /** Average size of a message as the sink received it. */
  bytes_per_message: number;
  peak_rss_mib: number;
  cpu_seconds: { this_process: number; sink: number; machine: number };
}

async function timed(sink: SmtpSinkProcess, messages: number, work: () => Promise<number>): Promise<SendRun> {
  const before = await sink.count();
  const cpu = cpuMeter();
  const rss = rssPeak();
  const started = performance.now();
  const sent = await work();
  const seconds = (performance.now() - started) / 1000;
  const peak = rss();
  const spent = cpu();
  const after = await sink.count();
  if (sent !== messages || after.received - before.received !== messages) {
    throw new Error(`${messages} messages asked, ${sent} sent, ${after.received - before.received} arrived`);
  }
  return {
    messages,
    seconds: round(seconds, 3),
    messages_per_s: Math.round(messages / seconds),
    bytes_per_message: Math.round((after.bytes - before.bytes) / messages),
    peak_rss_mib: peak,
    cpu_seconds: {
      this_process: round(spent.process),
      sink: round(after.cpu_seconds - before.cpu_seconds),
      machine: round(spent.machine),
    },
  };
}

async function ours(db: Database, deps: DeliveryDeps, sink: SmtpSinkProcess, messages: number, connections: number) {
  const tenantId = await sendingTenant(db, deps, sink, messages, connections);
  let claims = 0;
  const run = await timed(sink, messages, async () => {
    const report = await deliverForTenant(db, deps, tenantId, { timeLimitMs: 3_600_000 });
    claims = report.claims;
    if (report.sent !== messages) throw new Error(`not all sent: ${JSON.stringify(report).slice(0, 2000)}`);
    return report.sent;
  });
  return { ...run, claims, tenantId };
}

/** One message of the bench's copy as ours renders it, tracking links and headers included: the limit sends its like. */
function sampleMessage(deps: DeliveryDeps) {
  const tenantId = randomUUID();
  const messageId = randomUUID();
  const links = { publicUrl: deps.publicUrl, key: deps.trackingKey, trackOpens: true, trackClicks: true };
  return renderMessage({
    messageId,
    tenantId,
    channel: 'email',
    to: 'person12345@example.com',
    contact: { first_name: 'Name 12345', company: 'Co 12345' } as ContactForMessage,
    variant: { subject: SUBJECT, body: BODY, sms_copy: null },
    campaign: { ...CAMPAIGN, utm_medium: null, utm_campaign: null, utm_content: null } as CampaignForMessage,
    links: messageLinks(links, tenantId, messageId, new Date()),
    messageIdDomain: 'sender.example',
    statusCallback: '',
  }).outgoing;
}

async function limit(deps: DeliveryDeps, sink: SmtpSinkProcess, messages: number, connections: number) {
  const { createTransport } = await import('nodemailer');
  const sample = sampleMessage(deps);
  return timed(sink, messages, async () => {
    const transporter = createTransport({
      pool: true,
      maxConnections: connections,
      // As ours: one connection for as long as the run (the default reconnects every 100 messages).
      maxMessages: Infinity,
      host: sink.host,
      port: sink.port,
      secure: false,
      ignoreTLS: true,
    });
    let next = 0;
    let sent = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < messages) {
          const i = ++next;
          await transporter.sendMail({
            from: { name: 'Bench', address: FROM },
            to: `person${i}@example.com`,
            subject: sample.subject!,
            html: sample.html!,
            text: sample.text,
            messageId: `<ns.${i}.${sample.id}@sender.example>`,
            headers: sample.headers!,
          });
          sent++;
        }
      }),
    );
    transporter.close();
    return sent;
  });
}

export interface SmtpResult {
  connections: number;
  small: { limit: SendRun; ours: SendRun & { claims: number } };
  /** The faster of each side's runs at `messages` (the rounds below). */
  full: { limit: SendRun; ours: SendRun & { claims: number } };
  /**
   * Each side run twice at `messages`, in the order limit, ours, ours, limit: this machine's speed
   * drifts by a fifth within minutes (a shared virtual machine), and one run of each, back to back,
   * measured the drift as often as the worker.
   */
  full_rounds: { limit: SendRun; ours: SendRun & { claims: number } }[];
  /** The faster run of ours over the faster run of the limit. */
  ratio_ours_over_limit: number;
  ratio_per_round: number[];
  rss_flat: { peak_rss_mib_at_small: number; peak_rss_mib_at_full: number; messages: [number, number] };
  target: string;
  pass: boolean;
}

const faster = <T extends SendRun>(runs: T[]) => runs.reduce((a, b) => (a.messages_per_s >= b.messages_per_s ? a : b));

export async function smtpSide(
  db: Database,
  deps: DeliveryDeps,
  sink: SmtpSinkProcess,
  scale: { messages: number; connections: number },
): Promise<SmtpResult> {
  const { messages, connections } = scale;
  const small = Math.min(SMALL, messages);
  const limitRun = async (n: number) => {
    const l = await limit(deps, sink, n, connections);
    say(`limit ${n}: ${l.messages_per_s} messages/s, peak RSS ${l.peak_rss_mib} MiB`);
    return l;
  };
  const oursRun = async (n: number) => {
    const { tenantId: _, ...o } = await ours(db, deps, sink, n, connections);
    say(`ours  ${n}: ${o.messages_per_s} messages/s, peak RSS ${o.peak_rss_mib} MiB, ${o.claims} claims`);
    return o;
  };
  const first = { limit: await limitRun(small), ours: await oursRun(small) };
  const roundOne = { limit: await limitRun(messages), ours: await oursRun(messages) };
  const oursTwo = await oursRun(messages);
  const rounds = [roundOne, { limit: await limitRun(messages), ours: oursTwo }];
  const full = { limit: faster(rounds.map((r) => r.limit)), ours: faster(rounds.map((r) => r.ours)) };
  const ratio = full.ours.messages_per_s / full.limit.messages_per_s;
  return {
    connections,
    small: first,
    full,
    full_rounds: rounds,
    ratio_ours_over_limit: round(ratio),
    ratio_per_round: rounds.map((r) => round(r.ours.messages_per_s / r.limit.messages_per_s)),
    rss_flat: {
      peak_rss_mib_at_small: first.ours.peak_rss_mib,
      peak_rss_mib_at_full: Math.max(...rounds.map((r) => r.ours.peak_rss_mib)),
      messages: [small, messages],
    },
    target: `>= ${SEND_TARGET_RATIO} × limit`,
    pass: ratio >= SEND_TARGET_RATIO,
  };
}
