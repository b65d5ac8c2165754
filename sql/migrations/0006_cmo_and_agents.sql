-- The CMO module: brand, ideal-customer segments, offers, 90-day plans and funnels, the audit
-- log of agent runs, and the weekly summaries.

CREATE TABLE cmo_brand_profiles (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL,
  brand_name   text NOT NULL,
  industry     text,
  website      text,
  mission      text,
  brand_voice  text,
  tone         text[] NOT NULL DEFAULT '{}',
  -- The rest of the intake conversation's structured answers.
  data         jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, workspace_id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id)
);

CREATE TABLE cmo_icp_segments (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL,
  name         text NOT NULL,
  description  text,
  pains        text[] NOT NULL DEFAULT '{}',
  goals        text[] NOT NULL DEFAULT '{}',
  objections   text[] NOT NULL DEFAULT '{}',
  channels     text[] NOT NULL DEFAULT '{}',
  data         jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id)
);

CREATE TABLE cmo_offers (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL,
  name         text NOT NULL,
  description  text,
  offer_type   text,
  price        numeric(14, 2) CHECK (price IS NULL OR price >= 0),
  currency     char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  cta          text,
  data         jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id)
);

CREATE TABLE agent_runs (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id uuid,
  agent        text NOT NULL,
  mode         text,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  input        jsonb NOT NULL DEFAULT '{}'::jsonb,
  output       jsonb,
  error        text,
  -- Which model provider answered ('gateway', 'offline', ...), so no one mistakes one for the other.
  provider     text,
  model        text,
  duration_ms  integer CHECK (duration_ms IS NULL OR duration_ms >= 0),
  created_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id)
);
CREATE INDEX agent_runs_recent_idx ON agent_runs (tenant_id, agent, created_at DESC);

CREATE TABLE cmo_plans (
  tenant_id      uuid NOT NULL,
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL,
  name           text NOT NULL,
  primary_goal   text NOT NULL,
  budget         numeric(14, 2) CHECK (budget IS NULL OR budget >= 0),
  currency       char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  start_date     date,
  end_date       date,
  target_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  constraints    jsonb NOT NULL DEFAULT '{}'::jsonb,
  plan           jsonb NOT NULL DEFAULT '{}'::jsonb,
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
  agent_run_id   uuid,
  created_by     uuid REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id),
  FOREIGN KEY (tenant_id, agent_run_id) REFERENCES agent_runs (tenant_id, id)
);

CREATE TABLE cmo_funnels (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL,
  plan_id      uuid,
  name         text NOT NULL,
  funnel_type  text,
  stages       jsonb NOT NULL DEFAULT '[]'::jsonb,
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
  agent_run_id uuid,
  created_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES cmo_plans (tenant_id, id),
  FOREIGN KEY (tenant_id, agent_run_id) REFERENCES agent_runs (tenant_id, id)
);

ALTER TABLE campaigns
  ADD FOREIGN KEY (tenant_id, plan_id) REFERENCES cmo_plans (tenant_id, id),
  ADD FOREIGN KEY (tenant_id, funnel_id) REFERENCES cmo_funnels (tenant_id, id);

ALTER TABLE campaign_optimizations
  ADD FOREIGN KEY (tenant_id, agent_run_id) REFERENCES agent_runs (tenant_id, id);

CREATE TABLE weekly_summaries (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  week_start      date NOT NULL,
  week_end        date NOT NULL,
  summary         jsonb NOT NULL,
  report_markdown text NOT NULL,
  agent_run_id    uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, week_start),
  FOREIGN KEY (tenant_id, agent_run_id) REFERENCES agent_runs (tenant_id, id)
);
