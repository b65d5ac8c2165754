// The guard of routes for the instance's own machinery (the cron endpoints, /metrics): the
// internal secret, compared in constant time; a wrong one counts against the client like a
// wrong API key (credential-throttle.ts).
import type { Context, MiddlewareHandler } from 'hono';
import { matchesInternalSecret } from '../auth/internal-secret.ts';
import type { CredentialThrottle } from './credential-throttle.ts';
import { ProblemError } from './problem.ts';

/** Where callers put the secret: the `x-internal-secret` header, as the seeds' cron callers do. */
export const internalSecretHeader = (c: Context) => c.req.header('x-internal-secret');

/** Also `Authorization: Bearer <secret>`: what a Prometheus scrape config sends (`authorization.credentials`). */
export const internalSecretHeaderOrBearer = (c: Context) =>
  internalSecretHeader(c) ?? c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];

export function requireInternalSecret(
  secret: string,
  throttle: CredentialThrottle,
  presented: (c: Context) => string | undefined = internalSecretHeader,
): MiddlewareHandler {
  return async (c, next) => {
    const given = presented(c);
    if (given !== undefined) throttle.assertAllowed(c);
    if (!matchesInternalSecret(given, secret)) {
      if (given !== undefined) throttle.failed(c);
      throw new ProblemError(401, 'missing or wrong x-internal-secret header');
    }
    await next();
  };
}
