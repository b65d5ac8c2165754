-- Schedules as data (the seeds' cron.job) and each run's history (cron.job_run_details).
-- pg-boss (schema pgboss, installed by the workers) carries the jobs themselves: queues, retries,
-- backoff, the dead-letter queue. These tables say what runs when, and what each run did.

-- A reference table on Citus (docs/scaling.md): small, global, replicated to every node.
CREATE TABLE job_schedules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
  -- Which task a tick queues (src/jobs/tasks.ts); one job per tenant per tick.
  task        text NOT NULL CHECK (task ~ '^[a-z][a-z0-9-]{0,62}$'),
  -- Five fields (minute precision) or six (with seconds), validated by the application.
  cron        text NOT NULL,
  timezone    text NOT NULL DEFAULT 'UTC',
  -- Handed to every job of the schedule, e.g. {"mode": "full"}.
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  enabled     boolean NOT NULL DEFAULT true,
  -- The next tick; NULL until a scheduler computes it (new or edited schedules).
  next_run_at timestamptz,
  last_tick_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per tenant per tick. The unique key is what makes a tick fire once across any number
-- of schedulers: the one whose INSERT wins queues the job, in the same transaction.
CREATE TABLE schedule_runs (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  schedule_id   uuid NOT NULL REFERENCES job_schedules (id) ON DELETE CASCADE,
  tick_at       timestamptz NOT NULL,
  -- The pg-boss job; NULL when the tick was skipped.
  job_id        uuid,
  status        text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'skipped', 'running', 'retrying', 'succeeded', 'failed')),
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  queued_at     timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  error         text,
  -- What the run did (the task's own summary: counts and ids).
  result        jsonb,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, schedule_id, tick_at)
);
CREATE INDEX schedule_runs_recent_idx ON schedule_runs (schedule_id, tick_at DESC);
-- Runs queued but never handed to pg-boss (a scheduler died in between): the next pass sends them.
CREATE INDEX schedule_runs_unsent_idx ON schedule_runs (queued_at) WHERE status = 'queued' AND job_id IS NULL;

ALTER TABLE schedule_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON schedule_runs
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- The side effect of the `probe` task: a trivial job that proves the workers run each job's effect
-- once (the multi-process test) and measures job throughput (bench:runner).
CREATE TABLE job_probes (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  probe_key  text NOT NULL,
  -- How many times a worker ran the job: above 1 when a worker died after the effect.
  deliveries integer NOT NULL DEFAULT 1,
  first_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, probe_key)
);
ALTER TABLE job_probes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON job_probes
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- The defaults. The CMO daily loop (0 6 * * *, mode full) and the weekly summary (0 9 * * 1)
-- join them with the CMO loop's own migration.
INSERT INTO job_schedules (name, task, cron, data) VALUES
  ('autonomous-cycle', 'autonomous-cycle', '0 * * * *', '{}'),
  ('campaign-runner', 'campaign-runner', '* * * * *', '{}'),
  ('social-dispatcher', 'social-dispatcher', '* * * * *', '{}'),
  ('actual-impact', 'actual-impact', '30 5 * * *', '{}');
