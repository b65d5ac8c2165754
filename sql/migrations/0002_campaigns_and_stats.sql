-- Campaigns, their audiences, and their performance: daily stats per channel plus a totals fallback.

CREATE TABLE contacts (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  email      text,
  phone      text,
  first_name text,
  last_name  text,
  company    text,
  job_title  text,
  timezone   text,
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'unsubscribed', 'bounced')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE UNIQUE INDEX contacts_email_uq ON contacts (tenant_id, lower(email)) WHERE email IS NOT NULL;

CREATE TABLE segments (
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description  text,
  -- How members were chosen (a filter over contact attributes); membership itself is stored.
  definition   jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, workspace_id, name),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id)
);

CREATE TABLE segment_members (
  tenant_id  uuid NOT NULL,
  segment_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, segment_id, contact_id),
  FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
);
CREATE INDEX segment_members_contact_idx ON segment_members (tenant_id, contact_id);

CREATE TABLE campaigns (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  workspace_id         uuid NOT NULL,
  title                text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description          text,
  status               text NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'scheduled', 'sending', 'active', 'paused', 'completed', 'archived')),
  goal                 text NOT NULL DEFAULT 'leads' CHECK (goal IN ('leads', 'meetings', 'revenue')),
  budget               numeric(14, 2) NOT NULL DEFAULT 0 CHECK (budget >= 0),
  max_budget           numeric(14, 2) CHECK (max_budget IS NULL OR max_budget >= 0),
  currency             char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  channels             text[] NOT NULL DEFAULT '{}',
  autopilot_enabled    boolean NOT NULL DEFAULT false,
  scheduled_at         timestamptz,
  started_at           timestamptz,
  completed_at         timestamptz,
  last_optimization_at timestamptz,
  image_url            text,
  cta_text             text,
  cta_url              text,
  utm_source           text,
  utm_medium           text,
  utm_campaign         text,
  utm_content          text,
  -- The audience: recipients are generated from this segment when the campaign launches.
  segment_id           uuid,
  plan_id              uuid,
  funnel_id            uuid,
  created_by           uuid REFERENCES users (id),
  -- Optimistic concurrency: every update bumps it; a writer holding an older version gets a conflict.
  version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workspace_id) REFERENCES workspaces (tenant_id, id),
  FOREIGN KEY (tenant_id, segment_id) REFERENCES segments (tenant_id, id)
);
CREATE INDEX campaigns_status_idx ON campaigns (tenant_id, status);
-- The runner polls for due scheduled campaigns across all tenants.
CREATE INDEX campaigns_due_idx ON campaigns (scheduled_at) WHERE status = 'scheduled';

CREATE TABLE campaign_recipients (
  tenant_id   uuid NOT NULL,
  campaign_id uuid NOT NULL,
  contact_id  uuid NOT NULL,
  variant_id  uuid,
  status      text NOT NULL DEFAULT 'queued'
              CHECK (status IN ('queued', 'sent', 'delivered', 'opened', 'replied', 'bounced', 'unsubscribed', 'failed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, campaign_id, contact_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id),
  FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
);

-- One row per campaign, channel and UTC day. Ingestion upserts on the primary key.
CREATE TABLE campaign_channel_stats_daily (
  tenant_id   uuid NOT NULL,
  campaign_id uuid NOT NULL,
  stat_date   date NOT NULL,
  channel     text NOT NULL CHECK (channel ~ '^[a-z][a-z0-9_]{0,31}$'),
  impressions bigint NOT NULL DEFAULT 0 CHECK (impressions >= 0),
  sends       bigint NOT NULL DEFAULT 0 CHECK (sends >= 0),
  opens       bigint NOT NULL DEFAULT 0 CHECK (opens >= 0),
  clicks      bigint NOT NULL DEFAULT 0 CHECK (clicks >= 0),
  replies     bigint NOT NULL DEFAULT 0 CHECK (replies >= 0),
  meetings    bigint NOT NULL DEFAULT 0 CHECK (meetings >= 0),
  conversions bigint NOT NULL DEFAULT 0 CHECK (conversions >= 0),
  spend       numeric(14, 2) NOT NULL DEFAULT 0 CHECK (spend >= 0),
  revenue     numeric(14, 2) NOT NULL DEFAULT 0 CHECK (revenue >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, campaign_id, stat_date, channel),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);

-- Lifetime totals for campaigns whose source reports no daily breakdown (the seeds' fallback).
CREATE TABLE campaign_metrics (
  tenant_id   uuid NOT NULL,
  campaign_id uuid NOT NULL,
  impressions bigint NOT NULL DEFAULT 0 CHECK (impressions >= 0),
  sends       bigint NOT NULL DEFAULT 0 CHECK (sends >= 0),
  opens       bigint NOT NULL DEFAULT 0 CHECK (opens >= 0),
  clicks      bigint NOT NULL DEFAULT 0 CHECK (clicks >= 0),
  replies     bigint NOT NULL DEFAULT 0 CHECK (replies >= 0),
  meetings    bigint NOT NULL DEFAULT 0 CHECK (meetings >= 0),
  conversions bigint NOT NULL DEFAULT 0 CHECK (conversions >= 0),
  spend       numeric(14, 2) NOT NULL DEFAULT 0 CHECK (spend >= 0),
  revenue     numeric(14, 2) NOT NULL DEFAULT 0 CHECK (revenue >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, campaign_id),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id)
);
