-- A rule's history (the Rules tab's "History"): each creation, edit and switch on or off, with the
-- rule's definition before and after and who made the change. Written in the change's own
-- transaction (src/db/repositories/rule-changes.ts); a deleted rule takes its history with it.
CREATE TABLE rule_changes (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  id         uuid NOT NULL DEFAULT gen_random_uuid(),
  rule_id    uuid NOT NULL,
  change     text NOT NULL CHECK (change IN ('created', 'edited', 'switched_on', 'switched_off')),
  before     jsonb,
  after      jsonb NOT NULL,
  changed_by uuid REFERENCES users (id),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, rule_id) REFERENCES autonomous_rules (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX rule_changes_rule_idx ON rule_changes (tenant_id, rule_id, changed_at DESC, id DESC);
ALTER TABLE rule_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rule_changes
  USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
