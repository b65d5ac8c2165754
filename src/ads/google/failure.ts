// Google's error envelope, read and sorted. The Ads API answers a failure as
//   {"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT", "details": [
//     {"@type": "type.googleapis.com/google.ads.googleads.v26.errors.GoogleAdsFailure",
//      "errors": [{"errorCode": {"quotaError": "RESOURCE_EXHAUSTED"}, "message": "...",
//                  "trigger": {"stringValue": "..."}, "location": {"fieldPathElements": [...]},
//                  "details": {"quotaErrorDetails": {"retryDelay": "30s"}}}],
//      "requestId": "..."}]}}
// and the same Status object comes back as a mutate's `partialFailureError`, or as an element of
// a searchStream answer when the stream fails after it started.
import {
  GoogleAdsAuthError,
  type GoogleAdsError,
  type GoogleAdsErrorDetail,
  GoogleAdsRateLimitedError,
  GoogleAdsRejectedError,
  GoogleAdsUnavailableError,
} from './errors.ts';

interface RawFieldPathElement {
  fieldName?: string;
  index?: number;
}

interface RawAdsError {
  errorCode?: Record<string, unknown>;
  message?: string;
  trigger?: Record<string, unknown>;
  location?: { fieldPathElements?: RawFieldPathElement[] };
  details?: { quotaErrorDetails?: { retryDelay?: string; rateName?: string; rateScope?: string } };
}

interface RawDetail {
  '@type'?: string;
  errors?: RawAdsError[];
  requestId?: string;
  /** google.rpc.RetryInfo */
  retryDelay?: string;
}

/** google.rpc.Status as JSON. */
export interface RawStatus {
  code?: number;
  message?: string;
  status?: string;
  details?: RawDetail[];
}

/** A failure as read from the envelope: what the message and the class are built from. */
export interface ParsedFailure {
  httpStatus: number | undefined;
  /** UNAUTHENTICATED, RESOURCE_EXHAUSTED, INVALID_ARGUMENT… */
  status: string | undefined;
  message: string | undefined;
  errors: GoogleAdsErrorDetail[];
  requestId: string | undefined;
  retryDelayMs: number | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A protobuf Duration in JSON: "30s", "1.5s". */
export function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** operations[1].update.amount_micros */
function fieldPath(elements: RawFieldPathElement[] | undefined): string | undefined {
  if (!elements?.length) return undefined;
  return elements
    .map((element, i) => {
      const name = `${i > 0 ? '.' : ''}${element.fieldName ?? '?'}`;
      return element.index === undefined ? name : `${name}[${element.index}]`;
    })
    .join('');
}

/** google.ads.googleads.vN.common.Value: one of booleanValue, int64Value, floatValue, doubleValue, stringValue. */
function triggerText(trigger: Record<string, unknown> | undefined): string | undefined {
  if (!trigger) return undefined;
  const value = Object.values(trigger)[0];
  return value === undefined ? undefined : String(value);
}

function detailOf(raw: RawAdsError): GoogleAdsErrorDetail {
  const [type = 'unknownError', code = 'UNKNOWN'] =
    Object.entries(raw.errorCode ?? {}).map(([k, v]) => [k, String(v)])[0] ?? [];
  const detail: GoogleAdsErrorDetail = { type, code, message: raw.message ?? '' };
  const trigger = triggerText(raw.trigger);
  if (trigger !== undefined) detail.trigger = trigger;
  const elements = raw.location?.fieldPathElements;
  const field = fieldPath(elements);
  if (field) detail.field = field;
  const operation = elements?.[0]?.fieldName === 'operations' ? elements[0].index : undefined;
  if (operation !== undefined) detail.operationIndex = operation;
  const delay = durationMs(raw.details?.quotaErrorDetails?.retryDelay);
  if (delay !== undefined) detail.retryDelayMs = delay;
  return detail;
}

/** Reads a google.rpc.Status (the envelope's `error`, or a partialFailureError). */
export function parseStatus(raw: unknown, httpStatus?: number): ParsedFailure {
  const status: RawStatus = isObject(raw) ? (raw as RawStatus) : {};
  const details = (Array.isArray(status.details) ? status.details.filter(isObject) : []) as RawDetail[];
  const errors: GoogleAdsErrorDetail[] = [];
  let requestId: string | undefined;
  let retryDelayMs: number | undefined;
  for (const detail of details) {
    const type = typeof detail['@type'] === 'string' ? detail['@type'] : '';
    if (type.endsWith('.errors.GoogleAdsFailure')) {
      const raw = (Array.isArray(detail.errors) ? detail.errors.filter(isObject) : []) as RawAdsError[];
      errors.push(...raw.map(detailOf));
      requestId ??= typeof detail.requestId === 'string' ? detail.requestId : undefined;
    } else if (type.endsWith('google.rpc.RetryInfo')) {
      retryDelayMs = durationMs(detail.retryDelay);
    }
  }
  for (const error of errors) {
    if (error.retryDelayMs !== undefined) retryDelayMs = Math.max(retryDelayMs ?? 0, error.retryDelayMs);
  }
  return {
    httpStatus: httpStatus ?? (typeof status.code === 'number' ? httpOfRpc(status.code) : undefined),
    status: typeof status.status === 'string' ? status.status : undefined,
    message: typeof status.message === 'string' ? status.message : undefined,
    errors,
    requestId,
    retryDelayMs,
  };
}

/**
 * The envelope's `code` is the HTTP status (401, 429…); a partialFailureError's is the gRPC
 * code (3 INVALID_ARGUMENT). Small codes are gRPC codes and are mapped to their HTTP statuses.
 */
function httpOfRpc(code: number): number {
  if (code >= 100) return code;
  const byRpc: Record<number, number> = { 3: 400, 4: 504, 5: 404, 7: 403, 8: 429, 13: 500, 14: 503, 16: 401 };
  return byRpc[code] ?? 400;
}

/** A body that is not Google's JSON envelope (a proxy's page), as a failure. */
export function parseBody(body: unknown, httpStatus: number): ParsedFailure {
  if (isObject(body) && isObject(body.error)) return parseStatus(body.error, httpStatus);
  if (Array.isArray(body) && isObject(body[0]) && isObject(body[0].error))
    return parseStatus(body[0].error, httpStatus);
  const text = typeof body === 'string' ? body.trim().slice(0, 200) : undefined;
  return {
    httpStatus,
    status: undefined,
    message: text || undefined,
    errors: [],
    requestId: undefined,
    retryDelayMs: undefined,
  };
}

function describeError(error: GoogleAdsErrorDetail): string {
  const where = error.field ? `${error.field}: ` : '';
  const said = error.message ? `${error.message} ` : '';
  const trigger = error.trigger !== undefined ? ` (value ${JSON.stringify(error.trigger)})` : '';
  return `${where}${said}[${error.type} ${error.code}]${trigger}`;
}

/** What Google said, in words: each error with its field and trigger, else the status message. */
export function describeErrors(errors: GoogleAdsErrorDetail[], fallback?: string): string | undefined {
  if (errors.length === 0) return fallback;
  const shown = errors.slice(0, 5).map(describeError);
  if (errors.length > 5) shown.push(`and ${errors.length - 5} more`);
  return shown.join('; ');
}

const AUTH_TYPES = new Set(['authenticationError', 'authorizationError']);
const UNAVAILABLE_STATUSES = new Set(['UNAVAILABLE', 'INTERNAL', 'DEADLINE_EXCEEDED']);

function isQuota(error: GoogleAdsErrorDetail): boolean {
  return error.type === 'quotaError' && error.code !== 'ACCESS_PROHIBITED';
}

/** The error a failure makes, its message built from what Google said. `waitMs` is a Retry-After header's. */
export function failureError(failure: ParsedFailure, waitMs?: number): GoogleAdsError {
  const { httpStatus, status, errors, requestId } = failure;
  const said = describeErrors(errors, failure.message);
  const head = [httpStatus ? `HTTP ${httpStatus}` : undefined, status].filter(Boolean).join(' ');
  const answer = head && said ? `${head}: ${said}` : head || said || 'no detail';
  const options = { ...(httpStatus ? { status: httpStatus } : {}), requestId, errors };
  const auth = errors.find((error) => AUTH_TYPES.has(error.type));
  if (auth || status === 'UNAUTHENTICATED' || httpStatus === 401) {
    return new GoogleAdsAuthError(`the credentials were refused, reconnect the account (${answer})`, {
      ...options,
      code: auth?.code ?? 'UNAUTHENTICATED',
    });
  }
  if (errors.some(isQuota) || httpStatus === 429 || (status === 'RESOURCE_EXHAUSTED' && errors.length === 0)) {
    const retryAfterMs = failure.retryDelayMs ?? waitMs;
    return new GoogleAdsRateLimitedError(`rate limited (${answer})`, { ...options, retryAfterMs });
  }
  const internal = errors.some((error) => error.type === 'internalError');
  if (internal || UNAVAILABLE_STATUSES.has(status ?? '') || (httpStatus ?? 0) >= 500 || httpStatus === 408) {
    return new GoogleAdsUnavailableError(`unavailable (${answer})`, options);
  }
  return new GoogleAdsRejectedError(`refused the request (${answer})`, options);
}
