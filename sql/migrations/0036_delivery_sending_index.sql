-- The recipients a delivery worker holds ('sending'): a claim's worth per worker, whatever the
-- campaign's size. The writes after a send (src/db/repositories/delivery-messages.ts: advance,
-- postpone) find them through this index; without it the planner, rightly taking them to be few,
-- read every recipient not yet ended to find them: a write per claim of 500 grew with the
-- recipients still waiting (63 ms with 30,000), which made a campaign's delivery quadratic.
CREATE INDEX campaign_recipients_sending_idx ON campaign_recipients (tenant_id, campaign_id)
  WHERE sequence_state = 'sending';
