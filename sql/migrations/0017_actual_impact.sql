-- Actual-impact measurement (src/engine/actual-impact.ts) looks for a tenant's executed actions
-- old enough to measure and not measured yet. Measured ones never come back into this index, so it
-- stays as small as the backlog instead of growing with the whole ledger.
CREATE INDEX autonomous_actions_unmeasured_idx ON autonomous_actions (tenant_id, executed_at)
  WHERE status = 'executed' AND actual_impact IS NULL;
