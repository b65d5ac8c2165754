-- When the delivery worker was about to hand a message to its transport. A claim's messages are
-- recorded 'sending' together, but handed over a few at a time (an SMTP pool's connections,
-- Twilio requests in flight); the worker marks them a chunk at a time just before
-- (src/delivery/hand-over.ts). A worker that dies leaves its 'sending' messages to the next run:
-- those not marked in their current attempt (handed_at null, or before the attempt's claim) never
-- reached a provider and are sent again; only the marked ones are in doubt (docs/delivery.md,
-- "Exactly once").
ALTER TABLE campaign_messages ADD COLUMN handed_at timestamptz;
