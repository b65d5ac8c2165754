-- Auto-revive (docs/revive.md): an auto_resume ledger row names the engine's pause it reverses.
-- The cycle reads it to revive a pause at most once (a person who rolled a revival back, or
-- dismissed one, is not asked again for that pause), and a person reads which pause was undone.
-- Lookups go through the campaign's ledger index (autonomous_actions_campaign_idx): a campaign's
-- rows are few, so the column needs no index of its own.
ALTER TABLE autonomous_actions
  ADD COLUMN reverses_action_id uuid,
  ADD FOREIGN KEY (tenant_id, reverses_action_id) REFERENCES autonomous_actions (tenant_id, id);
