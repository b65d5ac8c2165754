-- A contact's history (GET /api/contacts/{id}/messages) reads the messages sent to one contact;
-- the other indexes of campaign_messages lead with the campaign, so without this it read every
-- message of the tenant. contact_id never changes, so the event fold's in-place (HOT) updates of
-- a message's timestamps and status (migration 0038) stay in place.
CREATE INDEX campaign_messages_contact_idx ON campaign_messages (tenant_id, contact_id);
