-- The CMO agents (docs/cmo-agents.md): what the optimization analyst recommends, one name per ICP
-- segment and offer in a workspace (the brand intake updates them by name), and the index that
-- lists a tenant's agent runs newest first.

CREATE TABLE cmo_recommendations (
  tenant_id       uuid NOT NULL,
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL,
  agent_run_id    uuid NOT NULL,
  campaign_id     uuid,
  plan_id         uuid,
  funnel_id       uuid,
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  category        text NOT NULL CHECK (category IN ('budget', 'content', 'targeting', 'timing', 'channel', 'funnel')),
  priority        text NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
  rationale       text NOT NULL,
  expected_impact text NOT NULL,
  action          text NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
  created_by      uuid REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id),
  FOREIGN KEY (tenant_id, agent_run_id) REFERENCES agent_runs (tenant_id, id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, plan_id) REFERENCES cmo_plans (tenant_id, id),
  FOREIGN KEY (tenant_id, funnel_id) REFERENCES cmo_funnels (tenant_id, id)
);
CREATE INDEX cmo_recommendations_open_idx ON cmo_recommendations (tenant_id, workspace_id, created_at DESC)
  WHERE status = 'open';
ALTER TABLE cmo_recommendations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON cmo_recommendations
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

CREATE UNIQUE INDEX cmo_icp_segments_name_key ON cmo_icp_segments (tenant_id, workspace_id, name);
CREATE UNIQUE INDEX cmo_offers_name_key ON cmo_offers (tenant_id, workspace_id, name);

-- GET /api/agent-runs: a tenant's runs, newest first, across agents.
CREATE INDEX agent_runs_tenant_recent_idx ON agent_runs (tenant_id, created_at DESC, id DESC);

-- Content the agents add to a campaign belongs to one of its funnel stages.
ALTER TABLE content_assets ADD COLUMN funnel_stage text
  CHECK (funnel_stage IN ('awareness', 'consideration', 'conversion', 'retention'));
