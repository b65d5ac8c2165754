// pg-boss on the database Nightshift already uses: the embedded PGlite instance itself (pg-boss's
// PGlite adapter shares it with our sessions in this process), or the same Postgres server through a
// small pool of pg-boss's own. Its tables live in the `pgboss` schema, apart from ours.
import { fromPglite, PgBoss } from 'pg-boss';
import type { SystemDatabase } from '../db/port.ts';

export interface BossOptions {
  /**
   * How often pg-boss looks for jobs whose worker vanished (expired) and retries them elsewhere.
   * Its default is a minute; tests and small deployments may want it sooner.
   */
  monitorSeconds?: number;
  /** Connections of pg-boss's own pool on a server (each worker process has one pool). */
  poolSize?: number;
}

export function createBoss(db: SystemDatabase, options: BossOptions = {}): PgBoss {
  const monitorSeconds = options.monitorSeconds ?? 60;
  const common = {
    schema: 'pgboss',
    superviseIntervalSeconds: monitorSeconds,
    monitorIntervalSeconds: monitorSeconds,
    // Schedules are ours (job_schedules, src/jobs/scheduler.ts): pg-boss's own cron stays off.
    schedule: false,
  };
  const store = db.jobStore;
  if (store.kind === 'pglite') return new PgBoss({ ...common, db: fromPglite(store.pglite), backend: 'pglite' });
  return new PgBoss({
    ...common,
    connectionString: store.connectionString,
    max: options.poolSize ?? 4,
    application_name: 'nightshift-jobs',
  });
}
