// A replayed cycle's view of the past (docs/replay.md): every table the cycle's reading half reads
// that later events change, rebuilt for one tenant as it stood at an instant, into temporary tables
// of the same names. PostgreSQL looks up unqualified table names in the session's temporary schema
// first, so for the rest of the read transaction every statement of the cycle (its SQL functions
// included) reads the past without being told: no reader can forget the clock, and a reader added
// later reads the past too. The tables drop at commit; the writing half (a replay with --apply)
// runs in a transaction of its own and writes to the real tables.
//
// What is rebuilt, and from what:
//   campaign_channel_stats_daily  the latest report of each row made by the instant: the row itself
//                                 if reported (updated_at) by then, else the version it replaced
//                                 that was current then (campaign_stats_versions, migration 0027);
//   campaign_daily_totals,        summed from those rows, as the rollup triggers sum the live ones;
//   campaign_rollups
//   campaign_metrics              lifetime totals reported by then (a later report is not known);
//   conversion_arrivals           revisions reported on or before the instant's day (the table is
//                                 by day: later reports of that same day are counted);
//   campaigns                     those created by then, with the status, budget, version and last
//                                 change the ledger says they had (the state before the first engine
//                                 change, change made on the ad platform, or rollback after the
//                                 instant); a launch after it is undone;
//   autonomous_actions            rows created by then, with the status they had: not yet rolled
//                                 back, approved, dismissed or superseded if that came later (respites,
//                                 cooldowns, pending suggestions and the daily budget cap read it);
//   optimization_opportunities    detected by then, resolved or dismissed only if that came by then.
// Configuration is today's: the tenant's settings and autonomous switch, its rules, its connected
// social accounts, and campaign fields a person edited (only the ledger's changes are undone).
import type { SqlSession } from '../db/port.ts';
import { isMoney, REPORTED_METRICS } from '../domain/metrics.ts';
import { CAMPAIGN_CHANGES } from './campaign-changes.ts';

const STATS_COLUMNS = ['tenant_id', 'campaign_id', 'stat_date', 'channel', ...REPORTED_METRICS, 'updated_at'];
// Typed as the rollups' columns: the SQL functions that read them declare those types.
const sums = REPORTED_METRICS.map((c) => `sum(${c})::${isMoney(c) ? 'numeric' : 'bigint'} AS ${c}`).join(', ');

// $1 tenant, $2 the instant ($3: CAMPAIGN_CHANGES). Each CREATE reads the real table (public.) before its namesake exists.
const SNAPSHOT_SQL = [
  `CREATE TEMP TABLE campaign_channel_stats_daily ON COMMIT DROP AS
   SELECT DISTINCT ON (campaign_id, stat_date, channel) *
     FROM (SELECT ${STATS_COLUMNS.join(', ')} FROM public.campaign_channel_stats_daily
            WHERE tenant_id = $1 AND updated_at <= $2
           UNION ALL
           SELECT ${STATS_COLUMNS.join(', ')} FROM public.campaign_stats_versions
            WHERE tenant_id = $1 AND updated_at <= $2 AND superseded_at > $2) reported
    -- A report backdated below an older one (a backfill) could leave two; the later report wins.
    ORDER BY campaign_id, stat_date, channel, updated_at DESC`,
  `CREATE TEMP TABLE campaign_daily_totals ON COMMIT DROP AS
   SELECT tenant_id, campaign_id, stat_date, ${sums}
     FROM campaign_channel_stats_daily WHERE tenant_id = $1 GROUP BY tenant_id, campaign_id, stat_date`,
  `CREATE TEMP TABLE campaign_rollups ON COMMIT DROP AS
   SELECT tenant_id, campaign_id, ${sums}, min(stat_date) AS first_stat_date, max(stat_date) AS last_stat_date,
          $2::timestamptz AS updated_at
     FROM campaign_daily_totals WHERE tenant_id = $1 GROUP BY tenant_id, campaign_id`,
  `CREATE TEMP TABLE campaign_metrics ON COMMIT DROP AS
   SELECT * FROM public.campaign_metrics WHERE tenant_id = $1 AND updated_at <= $2`,
  `CREATE TEMP TABLE conversion_arrivals ON COMMIT DROP AS
   SELECT * FROM public.conversion_arrivals
    WHERE tenant_id = $1 AND reported_on <= ($2::timestamptz AT TIME ZONE 'UTC')::date`,
  `CREATE TEMP TABLE autonomous_actions ON COMMIT DROP AS
   SELECT * FROM public.autonomous_actions WHERE tenant_id = $1 AND created_at <= $2`,
  // Undone in the reverse order of their lives: a rollback, then an approval or a dismissal.
  `UPDATE autonomous_actions SET status = 'executed', rolled_back_at = NULL, rolled_back_by = NULL,
         rolled_back_by_api_key = NULL, rolled_back_by_name = NULL
    WHERE tenant_id = $1 AND rolled_back_at > $2`,
  `UPDATE autonomous_actions SET status = 'pending', executed_at = NULL, decided_by = NULL,
         decided_by_api_key = NULL, decided_by_name = NULL
    WHERE tenant_id = $1 AND status = 'executed' AND executed_at > $2`,
  // A suggestion closed after the instant (dismissed by a person, or superseded by a surer action)
  // was still pending at it.
  `UPDATE autonomous_actions SET status = 'pending', decided_by = NULL, decided_by_api_key = NULL,
         decided_by_name = NULL
    WHERE tenant_id = $1 AND status IN ('dismissed', 'superseded') AND updated_at > $2`,
  `CREATE TEMP TABLE campaigns ON COMMIT DROP AS
   SELECT * FROM public.campaigns WHERE tenant_id = $1 AND created_at <= $2`,
  // The ledger's campaign changes after the instant, each with the state it found: the earliest one found
  // the state of the instant. Each bumped the version by one.
  `WITH changes AS (
     SELECT campaign_id, executed_at AS at, previous_state AS found FROM public.autonomous_actions
      WHERE tenant_id = $1 AND action_type = ANY ($3::text[]) AND executed_at > $2
     UNION ALL
     SELECT campaign_id, rolled_back_at, new_state FROM public.autonomous_actions
      WHERE tenant_id = $1 AND action_type = ANY ($3::text[]) AND rolled_back_at > $2
   ),
   first AS (
     SELECT DISTINCT ON (campaign_id) campaign_id, found, count(*) OVER (PARTITION BY campaign_id) AS changes
       FROM changes ORDER BY campaign_id, at
   )
   UPDATE campaigns c
      SET status = coalesce(f.found->>'status', c.status), budget = coalesce((f.found->>'budget')::numeric, c.budget),
          version = greatest(c.version - f.changes, 1)
     FROM first f WHERE c.tenant_id = $1 AND c.id = f.campaign_id`,
  // Changed after the instant: when it was last changed by then is known only from the ledger
  // (auto-revive reads it to tell the engine's pause from a person's later edit).
  `UPDATE campaigns c
      SET updated_at = (SELECT greatest(c.created_at, max(a.executed_at) FILTER (WHERE a.executed_at <= $2),
                                        max(a.rolled_back_at) FILTER (WHERE a.rolled_back_at <= $2))
                          FROM public.autonomous_actions a
                         WHERE a.tenant_id = $1 AND a.campaign_id = c.id AND a.action_type = ANY ($3::text[]))
    WHERE c.tenant_id = $1 AND c.updated_at > $2`,
  // Launched after the instant (the runner's launch is no ledger row): not live yet then.
  `UPDATE campaigns SET status = 'scheduled', started_at = NULL WHERE tenant_id = $1 AND started_at > $2`,
  `CREATE TEMP TABLE optimization_opportunities ON COMMIT DROP AS
   SELECT * FROM public.optimization_opportunities WHERE tenant_id = $1 AND detected_at <= $2`,
  `UPDATE optimization_opportunities SET status = 'open', resolved_at = NULL
    WHERE tenant_id = $1 AND (status = 'resolved' AND resolved_at > $2) OR (status IN ('dismissed', 'in_progress') AND updated_at > $2)`,
];

// The keys the cycle's joins and lookups reach these tables by (the real tables' keys and indexes).
const INDEX_SQL = `
  ALTER TABLE campaigns ADD PRIMARY KEY (tenant_id, id);
  ALTER TABLE campaign_daily_totals ADD PRIMARY KEY (tenant_id, campaign_id, stat_date);
  CREATE INDEX ON campaign_daily_totals (tenant_id, stat_date);
  ALTER TABLE campaign_rollups ADD PRIMARY KEY (tenant_id, campaign_id);
  ALTER TABLE campaign_metrics ADD PRIMARY KEY (tenant_id, campaign_id);
  CREATE INDEX ON autonomous_actions (tenant_id, campaign_id);
  ANALYZE campaigns, campaign_daily_totals, campaign_rollups, campaign_metrics, autonomous_actions,
          conversion_arrivals, optimization_opportunities;`;

/** Shadows, for the rest of this transaction, what the cycle reads with the tenant's past at `asOf`. */
export async function shadowWithPast(s: SqlSession, tenantId: string, asOf: Date): Promise<void> {
  // Each of CAMPAIGN_CHANGES bumped the campaign's version by one.
  const params = [tenantId, asOf.toISOString(), CAMPAIGN_CHANGES];
  for (const statement of SNAPSHOT_SQL) await s.query(statement, params.slice(0, highestParameter(statement)));
  await s.exec(INDEX_SQL);
}

/** A statement is bound exactly the parameters it names ($1 ... $n). */
function highestParameter(statement: string): number {
  return Math.max(...[...statement.matchAll(/\$(\d)/g)].map((match) => Number(match[1])));
}
