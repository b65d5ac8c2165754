-- A suggestion still awaiting a person is superseded when a later cycle, surer, carries out an
-- action on the same campaign alone (src/domain/guardrails.ts): it is closed as 'superseded',
-- neither approved nor dismissed by anyone, and the executed row that replaced it tells why.
ALTER TABLE autonomous_actions DROP CONSTRAINT autonomous_actions_status_check;
ALTER TABLE autonomous_actions ADD CONSTRAINT autonomous_actions_status_check
  CHECK (status IN ('pending', 'executed', 'rolled_back', 'failed', 'dismissed', 'superseded'));
