-- The scheduled-campaign runner (src/runner/): it launches due campaigns as a system user, the
-- default one below unless NIGHTSHIFT_SYSTEM_USER_ID names another user, and records that user in
-- launched_by on each campaign it launches.
INSERT INTO users (id, email, display_name)
VALUES ('00000000-0000-4000-8000-000000000001', 'runner@nightshift.invalid', 'Nightshift campaign runner')
ON CONFLICT (id) DO NOTHING;

ALTER TABLE campaigns ADD COLUMN launched_by uuid REFERENCES users (id);
