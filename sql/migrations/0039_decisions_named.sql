-- Who decided, named on every row a person acts on. A person signed in with a token is a user
-- (decided_by, rolled_back_by: 0004); a script signed in with an API key is that key (these
-- columns), so an approval, dismissal or rollback made with a key no longer reads as nobody's.
-- Keys are revoked, never deleted: the reference holds.
ALTER TABLE autonomous_actions
  ADD COLUMN decided_by_api_key uuid,
  ADD COLUMN rolled_back_by_api_key uuid,
  ADD FOREIGN KEY (tenant_id, decided_by_api_key) REFERENCES api_keys (tenant_id, id),
  ADD FOREIGN KEY (tenant_id, rolled_back_by_api_key) REFERENCES api_keys (tenant_id, id);

-- A dismissed opportunity keeps the person's reason for it, shown on its card; undoing the
-- dismissal clears it.
ALTER TABLE optimization_opportunities
  ADD COLUMN dismissal_note text CHECK (length(dismissal_note) BETWEEN 1 AND 1000);
