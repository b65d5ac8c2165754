-- The CMO loop wrote every change twice: its ledger row in autonomous_actions (what rollback,
-- approval and the API use) and a campaign_optimizations row (the seed's table) saying the same
-- thing, kept in step by hand on every approval, dismissal and rollback. The second row cost the
-- loop as much as the first (five foreign keys checked per row, three indexes).
--
-- campaign_optimizations is now a view over the ledger with the seed's columns: one row per loop
-- action (kill_variant, change_delay, rewrite_*), its status translated (pending -> suggested,
-- executed -> applied). The run that made a change is a column of the ledger row.

ALTER TABLE autonomous_actions
  ADD COLUMN agent_run_id uuid,
  ADD FOREIGN KEY (tenant_id, agent_run_id) REFERENCES agent_runs (tenant_id, id);

-- Every row the loop wrote links its ledger row. Any other row would have nowhere to go: stop.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM campaign_optimizations WHERE action_id IS NULL) THEN
    RAISE EXCEPTION 'campaign_optimizations has rows without an action_id; move them to autonomous_actions first';
  END IF;
END $$;

UPDATE autonomous_actions a SET agent_run_id = o.agent_run_id
  FROM campaign_optimizations o
 WHERE o.tenant_id = a.tenant_id AND o.action_id = a.id;

DROP TABLE campaign_optimizations;

-- security_invoker: the caller's row-level security applies to the ledger read through the view.
CREATE VIEW campaign_optimizations WITH (security_invoker = true) AS
SELECT a.tenant_id,
       a.id,
       a.campaign_id,
       a.id AS action_id,
       a.agent_run_id,
       CASE a.action_type WHEN 'change_delay' THEN 'delay' WHEN 'kill_variant' THEN 'kill_variant'
                          ELSE substring(a.action_type FROM length('rewrite_') + 1) END AS optimization_type,
       -- A copy change names only its variant: its asset is the variant's.
       coalesce((a.previous_state ->> 'asset_id')::uuid, v.asset_id) AS target_asset_id,
       (a.previous_state ->> 'variant_id')::uuid AS target_variant_id,
       a.previous_state AS previous_value,
       a.new_state AS new_value,
       a.reason AS rationale,
       CASE a.status WHEN 'pending' THEN 'suggested' WHEN 'executed' THEN 'applied' ELSE a.status END AS status,
       a.created_at,
       a.executed_at AS applied_at
  FROM autonomous_actions a
  LEFT JOIN content_variants v ON v.tenant_id = a.tenant_id AND v.id = (a.previous_state ->> 'variant_id')::uuid
 WHERE a.action_type IN ('kill_variant', 'change_delay', 'rewrite_email_subject', 'rewrite_email_body',
                         'rewrite_sms_copy', 'rewrite_voice_script');
