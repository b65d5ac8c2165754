// Errors as RFC 9457 problem details (application/problem+json): a status, a title, a detail in
// plain words and, for invalid input, the offending fields. Every 4xx the API answers looks so.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface FieldError {
  /** The field's path, e.g. `rows.3.spend`, or `body` for the body as a whole. */
  field: string;
  /** Where the field is: the JSON body, the query string, the path, or a header. */
  in?: 'body' | 'query' | 'path' | 'header';
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
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
  503: 'Service Unavailable',
};

/** An error a handler throws to answer with a problem; anything else becomes a 500. */
export class ProblemError extends Error {
  override name = 'ProblemError';
  readonly status: ContentfulStatusCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  constructor(
    status: ContentfulStatusCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export function problemResponse(c: Context, status: ContentfulStatusCode, detail: string, errors?: FieldError[]) {
  const body: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: c.req.path,
    ...(errors ? { errors } : {}),
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}
