// Errors as RFC 9457 problem details (application/problem+json): a status, a title, a detail in
// plain words and, for invalid input, the offending fields. Every 4xx the API answers looks so.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldError, ProblemRecord } from '../contract/problem.ts';

/** The contract's problem, with the extension members some problems add (a conflict's `expected` and `actual`). */
export interface Problem extends ProblemRecord {
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** An error a handler throws to answer with a problem; anything else becomes a 500. */
export class ProblemError extends Error {
  override name = 'ProblemError';
  readonly status: ContentfulStatusCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /** RFC 9457 extension members, after the standard ones (e.g. a conflict's `expected` and `actual`). */
  readonly extensions?: Record<string, unknown>;
  constructor(
    status: ContentfulStatusCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }
}

export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  errors?: FieldError[],
  extensions: Record<string, unknown> = {},
) {
  const body: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: c.req.path,
    ...(errors ? { errors } : {}),
    ...extensions,
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

/** A problem lists at most this many fields: a 10,000-row batch of bad rows stays readable. */
export const MAX_FIELD_ERRORS = 100;

/** The problem of a request whose fields are wrong: 422, or 404 for a path id that cannot name anything. */
export function invalid(errors: FieldError[], status: 404 | 422 = 422): ProblemError {
  const shown = errors.slice(0, MAX_FIELD_ERRORS);
  const more = errors.length > shown.length ? ` (and ${errors.length - shown.length} more)` : '';
  const where =
    shown
      .slice(0, 5)
      .map((e) => `${e.field}: ${e.message}`)
      .join('; ') + (shown.length > 5 ? '; …' : '');
  const detail = status === 404 ? `no such resource (${where})` : `invalid request: ${where}${more}`;
  return new ProblemError(status, detail, { errors: shown });
}
