// Structured logs (pino, JSON lines). Known secret-bearing fields are redacted wherever they
// appear, so a careless `log.info({ headers })` cannot leak a token.
import { type Logger, pino } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-internal-secret"]',
  'req.headers.apikey',
  '*.password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.apiKey',
  '*.secret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { service: 'nightshift' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination,
  );
}
