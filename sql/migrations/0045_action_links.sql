-- Acting from a message (docs/notifications.md, "Acting from a message"): each approve, dismiss or
-- rollback link a notification carries, issued to one person or one Slack destination. The signed
-- token in the link names this row; the row makes it single-use (used_at), says who it was sent to
-- (the ledger names that person) and keeps what using it did (outcome).
CREATE TABLE action_links (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  action_id      uuid NOT NULL,
  operation      text NOT NULL CHECK (operation IN ('approve', 'dismiss', 'rollback')),
  -- An e-mail address, or 'slack' for a Slack destination's buttons (the clicker is named on use).
  issued_to      text NOT NULL CHECK (length(issued_to) BETWEEN 1 AND 320),
  destination_id uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz,
  used_by        text,
  outcome        text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, action_id) REFERENCES autonomous_actions (tenant_id, id),
  FOREIGN KEY (tenant_id, destination_id) REFERENCES notification_destinations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX action_links_action_idx ON action_links (tenant_id, action_id);
ALTER TABLE action_links ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON action_links
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());

-- Who acted from outside the dashboard, in words: the address a link was sent to, or the Slack
-- user who pressed a button. Neither a user nor an API key (decided_by, *_api_key: 0004, 0039).
ALTER TABLE autonomous_actions
  ADD COLUMN decided_by_name text,
  ADD COLUMN rolled_back_by_name text;
