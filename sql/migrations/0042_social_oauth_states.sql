-- Connecting social accounts by consent (docs/ad-platforms.md, "Social accounts"): the consents
-- under way wait in ad_oauth_states like the ad accounts' do, with the same single-use state,
-- expiry and browser binding. 'facebook' is one Facebook Login that connects the person's Pages and
-- their Instagram business accounts; 'x' is X's OAuth 2.0 with PKCE.
ALTER TABLE ad_oauth_states DROP CONSTRAINT ad_oauth_states_platform_check;
ALTER TABLE ad_oauth_states ADD CONSTRAINT ad_oauth_states_platform_check
  CHECK (platform IN ('meta', 'google_ads', 'facebook', 'x'));
