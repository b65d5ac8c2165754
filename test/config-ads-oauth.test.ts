// The install's OAuth apps for connecting ad accounts by consent: each platform's app only when
// all of its parts are set, a half-set one stops the start naming what is missing, and the
// consent pages default to the platforms' own.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('ad-platform OAuth configuration', () => {
  it('has no app unless configured, and the platforms’ consent pages by default', () => {
    expect(loadConfig({}).adsOAuth).toEqual({ publicUrl: undefined, meta: undefined, google: undefined });
    const config = loadConfig({
      NIGHTSHIFT_PUBLIC_URL: 'https://ops.example.com/',
      NIGHTSHIFT_META_APP_ID: '123',
      NIGHTSHIFT_META_APP_SECRET: 'meta-secret',
      NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID: 'id.apps.googleusercontent.com',
      NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET: 'google-secret',
      NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN: 'dev-token',
    });
    expect(config.adsOAuth).toEqual({
      publicUrl: 'https://ops.example.com',
      meta: { appId: '123', appSecret: 'meta-secret', dialogOrigin: 'https://www.facebook.com' },
      google: {
        clientId: 'id.apps.googleusercontent.com',
        clientSecret: 'google-secret',
        developerToken: 'dev-token',
        authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      },
    });
  });

  it('refuses a half-configured app, naming what is missing and never a secret', () => {
    expect(() => loadConfig({ NIGHTSHIFT_META_APP_SECRET: 'shh-secret' })).toThrow(
      new ConfigError('NIGHTSHIFT_META_APP_ID must be set with NIGHTSHIFT_META_APP_SECRET'),
    );
    expect(() => loadConfig({ NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID: 'x' })).toThrow(
      /NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET and NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN must be set/,
    );
    expect(() => loadConfig({ NIGHTSHIFT_PUBLIC_URL: 'ftp://x' })).toThrow(/NIGHTSHIFT_PUBLIC_URL/);
  });

  it('has the X app for social accounts only when both its parts are set', () => {
    expect(loadConfig({}).social.x).toBeUndefined();
    const config = loadConfig({ NIGHTSHIFT_X_CLIENT_ID: 'x-client', NIGHTSHIFT_X_CLIENT_SECRET: 'x-secret' });
    expect(config.social.x).toEqual({
      clientId: 'x-client',
      clientSecret: 'x-secret',
      authorizationUrl: 'https://x.com/i/oauth2/authorize',
    });
    expect(() => loadConfig({ NIGHTSHIFT_X_CLIENT_SECRET: 'shh-x-secret' })).toThrow(
      new ConfigError('NIGHTSHIFT_X_CLIENT_ID must be set with NIGHTSHIFT_X_CLIENT_SECRET'),
    );
  });
});
