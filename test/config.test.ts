import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '../src/config.ts';

const secrets = {
  NIGHTSHIFT_JWT_SECRET: 'j'.repeat(32),
  NIGHTSHIFT_INTERNAL_SECRET: 'i'.repeat(32),
  NIGHTSHIFT_ENCRYPTION_KEY: 'ab'.repeat(32),
};

describe('configuration', () => {
  it('defaults to embedded PGlite in ./.nightshift on port 8787', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './.nightshift' });
    expect(config.port).toBe(8787);
    expect(config.ai.model).toBe('google/gemini-2.5-flash');
    expect(config.logLevel).toBe('info');
    // No CORS on routes taking credentials, no X-Forwarded-For, /metrics on the API's address only.
    expect(config.corsOrigins).toEqual([]);
    expect(config.trustedProxies).toEqual([]);
    expect(config.metricsAddress).toBeUndefined();
  });

  it('reads a comma-separated list of CORS origins', () => {
    const config = loadConfig({ NIGHTSHIFT_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig({ NIGHTSHIFT_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it('reads trusted proxies (addresses and networks) and the metrics address', () => {
    const config = loadConfig({
      NIGHTSHIFT_TRUSTED_PROXIES: '10.0.0.7, 10.1.0.0/16,fd00::/8',
      NIGHTSHIFT_METRICS_ADDRESS: '[::1]:9464',
    });
    expect(config.trustedProxies).toEqual(['10.0.0.7', '10.1.0.0/16', 'fd00::/8']);
    expect(config.metricsAddress).toEqual({ host: '::1', port: 9464 });
    expect(loadConfig({ NIGHTSHIFT_METRICS_ADDRESS: '0.0.0.0:9464' }).metricsAddress).toEqual({
      host: '0.0.0.0',
      port: 9464,
    });
  });

  it.each([
    ['PORT', 'abc', /^PORT expects an integer from 0 to 65535 \(got "abc"\)$/],
    ['PORT', '70000', /^PORT expects an integer from 0 to 65535/],
    ['PORT', '-1', /^PORT expects an integer/],
    ['DATABASE_URL', 'mysql://x@y/z', /^ {2}- DATABASE_URL expects a URL like postgres:/m],
    ['DATABASE_URL', 'not a url', /^ {2}- DATABASE_URL expects a URL like postgres:/m],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL expects one of fatal, error/],
    ['NIGHTSHIFT_JWT_SECRET', 'short', /^NIGHTSHIFT_JWT_SECRET expects at least 32 characters/],
    ['NIGHTSHIFT_ENCRYPTION_KEY', 'zz', /^NIGHTSHIFT_ENCRYPTION_KEY expects 64 hex characters/],
    ['NIGHTSHIFT_AI_BASE_URL', 'ftp://x', /^NIGHTSHIFT_AI_BASE_URL expects an http\(s\) URL/],
    ['NIGHTSHIFT_CORS_ORIGINS', 'app.example.com', /^NIGHTSHIFT_CORS_ORIGINS expects \* or a comma-separated list/],
    [
      'NIGHTSHIFT_TRUSTED_PROXIES',
      'proxy.internal',
      /^NIGHTSHIFT_TRUSTED_PROXIES expects a comma-separated list of IP/,
    ],
    ['NIGHTSHIFT_TRUSTED_PROXIES', '10.0.0.0/33', /^NIGHTSHIFT_TRUSTED_PROXIES expects a comma-separated list of IP/],
    ['NIGHTSHIFT_METRICS_ADDRESS', '9464', /^NIGHTSHIFT_METRICS_ADDRESS expects host:port, e.g. 127.0.0.1:9464/],
    ['NIGHTSHIFT_METRICS_ADDRESS', '127.0.0.1:70000', /^NIGHTSHIFT_METRICS_ADDRESS expects a port from 0 to 65535/],
  ])('rejects %s=%s with a message naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reports every problem at once, each naming its variable', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'postgres://u@h/d',
        NIGHTSHIFT_META_APP_ID: '123',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'PORT',
      'LOG_LEVEL',
      'NIGHTSHIFT_META_APP_SECRET',
      'NIGHTSHIFT_JWT_SECRET',
      'NIGHTSHIFT_INTERNAL_SECRET',
      'NIGHTSHIFT_ENCRYPTION_KEY',
    ]);
    expect(message.split('\n')[0]).toBe('6 configuration problems:');
    for (const problem of problems) expect(message).toContain(`  - ${problem}`);
  });

  it('never echoes a secret or a database URL it rejects', () => {
    expect(() => loadConfig({ NIGHTSHIFT_JWT_SECRET: 'hunter2' })).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ NIGHTSHIFT_JWT_SECRET: 'hunter2' })).not.toThrow(/hunter2/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:pw-secret@h/d' })).not.toThrow(/pw-secret/);
  });

  it('requires the secrets when DATABASE_URL points at a shared server', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h/d' })).toThrow(
      /NIGHTSHIFT_JWT_SECRET \(or NIGHTSHIFT_JWKS_URL\) is required/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h/d', NIGHTSHIFT_JWT_SECRET: 'j'.repeat(32) })).toThrow(
      /NIGHTSHIFT_INTERNAL_SECRET is required/,
    );
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d', ...secrets });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/d' });
  });

  it('masks passwords in URLs it shows', () => {
    expect(redactUrl('postgres://user:s3cret@db:5432/app')).toBe('postgres://user:***@db:5432/app');
  });
});
