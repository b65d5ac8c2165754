// bench:sync, part 2's limit: the bare cost of delivering the same changes. The very requests the
// delivery sent (Meta's POSTs, Google's mutates, as the stand-ins logged them) sent again by a
// minimal loop with as many in flight as the delivery allows, then the outcome written as bare
// SQL: per claim's worth of rows, one transaction of four set-based UPDATEs (the outbox rows
// confirmed, the links' platform values, the ledger rows executed, the campaigns moved).
import type { GoogleAdsCall } from '../../simulation/ad-platforms/google-ads-server.ts';
import type { RecordedCall } from '../../simulation/ad-platforms/meta-graph-server.ts';
import type { Database } from '../../src/db/port.ts';
import { cpuMeter } from './harness.ts';

export interface SentRequests {
  meta: { baseUrl: string; calls: readonly RecordedCall[] };
  google: { baseUrl: string; calls: readonly GoogleAdsCall[] };
}

async function send(url: string, headers: Record<string, string>, body: string) {
  const response = await fetch(url, { method: 'POST', headers, body });
  await response.text();
  if (!response.ok) throw new Error(`the limit's request to ${url} answered ${response.status}`);
}

/** The requests again, `inFlight` at a time for Meta's, one at a time for Google's (as the delivery sends them). */
async function replay(sent: SentRequests, inFlight: number) {
  const meta = [...sent.meta.calls];
  const worker = async () => {
    for (let call = meta.shift(); call; call = meta.shift()) {
      const headers = {
        authorization: String(call.headers.authorization),
        'content-type': 'application/x-www-form-urlencoded',
      };
      await send(`${sent.meta.baseUrl}${call.path}`, headers, new URLSearchParams(call.body).toString());
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  for (const call of sent.google.calls) {
    const headers = {
      authorization: String(call.headers.authorization),
      'developer-token': String(call.headers['developer-token']),
      'content-type': 'application/json',
    };
    await send(`${sent.google.baseUrl}${call.path}`, headers, JSON.stringify(call.body));
  }
}

interface Outcome {
  id: string;
  action_id: string;
  campaign_id: string;
  field: 'status' | 'budget';
  to_value: string;
  new_status: string;
  new_budget: string;
}

/** What the changes queued at or after `since` end in: their rows and their ledger rows' new state. */
function outcomesOf(db: Database, tenantId: string, since: Date) {
  return db.session((s) =>
    s.query<Outcome>(
      `SELECT p.id, p.action_id, p.campaign_id, p.field, p.to_value, a.new_state->>'status' AS new_status,
              a.new_state->>'budget' AS new_budget
         FROM platform_changes p JOIN autonomous_actions a ON a.tenant_id = p.tenant_id AND a.id = p.action_id
        WHERE p.tenant_id = $1 AND p.created_at >= $2 ORDER BY p.id`,
      [tenantId, since.toISOString()],
    ),
  );
}

/** The outcomes written bare, `batch` rows a transaction. */
async function writeOutcomes(db: Database, tenantId: string, rows: readonly Outcome[], batch: number) {
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const at = new Date().toISOString();
    const of = (pick: (row: Outcome) => string | null) => part.map(pick);
    await db.transaction(async (s) => {
      await s.query(
        `UPDATE platform_changes SET status = 'confirmed', confirmed_at = $3, updated_at = $3
          WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
        [tenantId, of((r) => r.id), at],
      );
      await s.query(
        `UPDATE campaign_platform_links l
            SET platform_status = coalesce(d.status, l.platform_status),
                platform_daily_budget = coalesce(d.budget::bigint, l.platform_daily_budget), synced_at = $5
           FROM unnest($2::uuid[], $3::text[], $4::text[]) AS d (campaign_id, status, budget)
          WHERE l.tenant_id = $1 AND l.campaign_id = d.campaign_id`,
        [
          tenantId,
          of((r) => r.campaign_id),
          of((r) => (r.field === 'status' ? r.to_value : null)),
          of((r) => (r.field === 'budget' ? r.to_value : null)),
          at,
        ],
      );
      await s.query(
        `UPDATE autonomous_actions SET status = 'executed', executed_at = $3, updated_at = $3
          WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
        [tenantId, of((r) => r.action_id), at],
      );
      await s.query(
        `UPDATE campaigns c SET status = coalesce(d.status, c.status), budget = coalesce(d.budget, c.budget),
                version = c.version + 1, updated_at = $5
           FROM unnest($2::uuid[], $3::text[], $4::numeric[]) AS d (id, status, budget)
          WHERE c.tenant_id = $1 AND c.id = d.id`,
        [
          tenantId,
          of((r) => r.campaign_id),
          of((r) => (r.field === 'status' ? r.new_status : null)),
          of((r) => (r.field === 'budget' ? r.new_budget : null)),
          at,
        ],
      );
    });
  }
}

/** The limit's seconds and CPU: the requests, then the SQL. */
export async function bareDelivery(
  db: Database,
  tenantId: string,
  work: { sent: SentRequests; inFlight: number; since: Date; batch: number },
) {
  const outcomes = await outcomesOf(db, tenantId, work.since);
  const cpu = cpuMeter();
  const started = performance.now();
  await replay(work.sent, work.inFlight);
  const requestSeconds = (performance.now() - started) / 1000;
  await writeOutcomes(db, tenantId, outcomes, work.batch);
  const seconds = (performance.now() - started) / 1000;
  return { changes: outcomes.length, seconds, requestSeconds, sqlSeconds: seconds - requestSeconds, cpu: cpu() };
}
