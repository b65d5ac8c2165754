// The campaign runner's recipient generation, side by side with its bare-SQL limit, on one
// database (bench:runner and bench:send, part 3):
//   ours        - runCampaignAutomation launching one due campaign whose segment has N members
//                 (active contacts only, chunked statements, the campaign locked, status set);
//   limit       - a bare `INSERT INTO campaign_recipients SELECT ... FROM segment_members` of the
//                 same rows through node-postgres, into another campaign: the same table, with its
//                 primary key, foreign keys, checks and indexes;
//   copies      - the same statement into a copy of the table without its constraints, and into
//                 one with all but its foreign keys: what the constraints cost, and which.
import { randomUUID } from 'node:crypto';
import { DEFAULT_SYSTEM_USER_ID } from '../../src/config.ts';
import type { Database } from '../../src/db/port.ts';
import { runCampaignAutomation } from '../../src/runner/campaign-runner.ts';

export const seconds = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

/** One tenant with one segment of `recipients` active contacts; `named`: with first names and companies. */
export async function seedSegment(db: Database, recipients: number, options: { named?: boolean } = {}) {
  return db.transaction(async (s) => {
    const [tenant] = await s.query<{ id: string }>(
      "INSERT INTO tenants (slug, name) VALUES ('bench-' || substr(md5(random()::text), 1, 8), 'Bench') RETURNING id",
    );
    const tenantId = tenant!.id;
    const [workspace] = await s.query<{ id: string }>(
      "INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, 'main', 'Main') RETURNING id",
      [tenantId],
    );
    const [segment] = await s.query<{ id: string }>(
      "INSERT INTO segments (tenant_id, workspace_id, name) VALUES ($1, $2, 'Everyone') RETURNING id",
      [tenantId, workspace!.id],
    );
    await s.query(
      options.named
        ? `INSERT INTO contacts (tenant_id, email, first_name, company)
           SELECT $1, 'person' || i || '@example.com', 'Name ' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE 'Co ' || i END
             FROM generate_series(1, $2::int) AS i`
        : `INSERT INTO contacts (tenant_id, email) SELECT $1, 'person' || i || '@example.com' FROM generate_series(1, $2::int) AS i`,
      [tenantId, recipients],
    );
    await s.query(
      'INSERT INTO segment_members (tenant_id, segment_id, contact_id) SELECT tenant_id, $2, id FROM contacts WHERE tenant_id = $1',
      [tenantId, segment!.id],
    );
    return { tenantId, workspaceId: workspace!.id, segmentId: segment!.id, recipients };
  });
}

export type Segment = Awaited<ReturnType<typeof seedSegment>>;

async function campaign(db: Database, w: Segment, title: string): Promise<string> {
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      `INSERT INTO campaigns (tenant_id, workspace_id, title, status, segment_id, scheduled_at)
       VALUES ($1, $2, $3, 'scheduled', $4, now() - interval '1 minute') RETURNING id`,
      [w.tenantId, w.workspaceId, title, w.segmentId],
    ),
  );
  return row!.id;
}

/** The bare statement into campaign_recipients, for a campaign the runner does not see. */
export async function limitSeconds(db: Database, w: Segment): Promise<number> {
  const id = await campaign(db, w, 'limit');
  await db.session((s) =>
    s.query("UPDATE campaigns SET status = 'draft' WHERE tenant_id = $1 AND id = $2", [w.tenantId, id]),
  );
  return seconds(() =>
    db.session((s) =>
      s.query(
        `INSERT INTO campaign_recipients (tenant_id, campaign_id, contact_id)
         SELECT tenant_id, $2, contact_id FROM segment_members WHERE tenant_id = $1 AND segment_id = $3`,
        [w.tenantId, id, w.segmentId],
      ),
    ),
  );
}

/**
 * Copies of campaign_recipients (made once), for what its constraints cost: `bare` has none (no
 * primary key, foreign keys, checks or indexes; NOT NULL and defaults kept), `keys` has all but its
 * foreign keys (primary key, checks, the partial indexes of migration 0035).
 */
const COPIES = {
  bare: 'CREATE TABLE IF NOT EXISTS bench_recipients_bare (LIKE campaign_recipients INCLUDING DEFAULTS)',
  keys: 'CREATE TABLE IF NOT EXISTS bench_recipients_keys (LIKE campaign_recipients INCLUDING ALL)',
} as const;
export type Copy = keyof typeof COPIES;

/** The same bare statement into a copy of the table, for a campaign id of its own. */
export async function copySeconds(db: Database, w: Segment, copy: Copy): Promise<number> {
  await db.session((s) => s.exec(COPIES[copy]));
  return seconds(() =>
    db.session((s) =>
      s.query(
        `INSERT INTO bench_recipients_${copy} (tenant_id, campaign_id, contact_id)
         SELECT tenant_id, $2, contact_id FROM segment_members WHERE tenant_id = $1 AND segment_id = $3`,
        [w.tenantId, randomUUID(), w.segmentId],
      ),
    ),
  );
}

/** The runner launching a new due campaign of the segment; checks it generated every recipient. */
export async function oursSeconds(db: Database, w: Segment): Promise<{ seconds: number; campaignId: string }> {
  const campaignId = await campaign(db, w, 'ours');
  let launched = 0;
  const took = await seconds(async () => {
    const result = await runCampaignAutomation(db, { tenantId: w.tenantId, systemUserId: DEFAULT_SYSTEM_USER_ID });
    launched = result.campaigns[0]?.recipient_count ?? 0;
  });
  if (launched !== w.recipients) throw new Error(`the runner generated ${launched} recipients, not ${w.recipients}`);
  return { seconds: took, campaignId };
}

export interface GenerationRounds {
  /** Seconds of each round, in order. */
  limit: number[];
  ours: { seconds: number; campaignId: string }[];
  /** Into the copies, when asked. */
  copies: Record<Copy, number[]>;
  /** The faster of each side. */
  best: { limit: number; ours: { seconds: number; campaignId: string }; copies: Partial<Record<Copy, number>> };
}

/**
 * Rounds alternating the sides (the table grows between them): limit, then the copies when asked,
 * then ours; the fastest of each side is kept.
 */
export async function generationRounds(
  db: Database,
  w: Segment,
  options: { rounds: number; copies: boolean; say: (line: string) => void },
): Promise<GenerationRounds> {
  const copies: Copy[] = options.copies ? ['bare', 'keys'] : [];
  const out: GenerationRounds = { limit: [], ours: [], copies: { bare: [], keys: [] }, best: undefined! };
  for (let round = 1; round <= options.rounds; round++) {
    out.limit.push(await limitSeconds(db, w));
    for (const copy of copies) out.copies[copy].push(await copySeconds(db, w, copy));
    out.ours.push(await oursSeconds(db, w));
    const copied = copies.map((copy) => `, copy ${copy} ${out.copies[copy].at(-1)!.toFixed(2)} s`).join('');
    options.say(
      `round ${round}: limit ${out.limit.at(-1)!.toFixed(2)} s${copied}, ours ${out.ours.at(-1)!.seconds.toFixed(2)} s`,
    );
  }
  out.best = {
    limit: Math.min(...out.limit),
    ours: out.ours.reduce((a, b) => (a.seconds <= b.seconds ? a : b)),
    copies: Object.fromEntries(copies.map((copy) => [copy, Math.min(...out.copies[copy])])),
  };
  return out;
}
