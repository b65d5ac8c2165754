// Twilio's REST API for SMS (Messages, 2010-04-01), over fetch: form-encoded requests with HTTP
// Basic auth (Account SID : Auth Token), JSON answers, one attempt per call with a timeout (retries
// are the delivery worker's). A failure becomes a DeliveryError from Twilio's error body
// `{code, message, more_info, status}`. The auth token is scrubbed from whatever Twilio answers or
// the network reports, and travels only to the configured base URL.
import { DeliveryError, type DeliveryFailureKind, redact, scrubbed } from './errors.ts';

export const TWILIO_API_URL = 'https://api.twilio.com';
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface TwilioSettings {
  /** https://api.twilio.com unless said (a local stand-in in tests). */
  baseUrl?: string;
  accountSid: string;
  authToken: string;
  fetch?: typeof fetch;
  /** How long one call may take before it counts as unavailable; 30 s unless said. */
  timeoutMs?: number;
}

export interface SmsToSend {
  /** E.164: +14155550100. */
  to: string;
  /** Our number, or leave it to the Messaging Service to pick one of its senders. */
  from?: string;
  messagingServiceSid?: string;
  body: string;
  /** Where Twilio posts the message's status changes (queued, sent, delivered, failed…), signed. */
  statusCallback?: string;
}

export interface TwilioMessage {
  /** SM… */
  sid: string;
  status: string;
  dateCreated: Date;
}

export interface MessageLookup {
  to: string;
  /** Our number; leave it out when a Messaging Service picked the sender. */
  from?: string;
  /** When we asked to send it. */
  sentAfter: Date;
  body: string;
}

export interface TwilioAccount {
  friendlyName: string;
  status: string;
}

export interface TwilioClient {
  /** Rejects with a DeliveryError for whatever Twilio or the network did. */
  sendMessage(message: SmsToSend): Promise<TwilioMessage>;
  /**
   * Our message with this body to `to` made since `sentAfter`, if Twilio has one. When the answer
   * to a send was lost (a timeout, the worker killed mid-call), the message may exist all the
   * same: the worker looks it up here before sending again, so it is found instead of sent twice.
   */
  findMessage(lookup: MessageLookup): Promise<TwilioMessage | undefined>;
  /** The account the credentials open, refused unless active: the "send a test" preflight. */
  verifyCredentials(): Promise<TwilioAccount>;
}

/** Authentication failed (20003), the account is suspended or closed (20005). */
const AUTH_CODES = new Set([20003, 20005]);
/**
 * This number will not take our messages: 21211 not a valid phone number, 21610 the recipient
 * replied STOP, 21614 not a mobile number, 21612 not reachable from our sender, 21408 its region
 * is not enabled on the account.
 */
const RECIPIENT_CODES = new Set([21211, 21408, 21610, 21612, 21614]);
/** Twilio's date_created is a few seconds off our clock at worst; a minute is ample. */
const CLOCK_SKEW_MS = 60_000;
/** Twilio's largest page: most lookups are one call. */
const PAGE_SIZE = '1000';

interface TwilioErrorBody {
  code?: number;
  message?: string;
  more_info?: string;
}

function kindOf(status: number, code: number | undefined): DeliveryFailureKind {
  if (status === 401 || (code !== undefined && AUTH_CODES.has(code))) return 'needs-reconnect';
  if (status === 429 || code === 20429) return 'rate-limited';
  if (status === 408 || status >= 500) return 'unavailable';
  return code !== undefined && RECIPIENT_CODES.has(code) ? 'recipient-refused' : 'rejected';
}

const DOING: Record<DeliveryFailureKind, string> = {
  'rate-limited': 'rate limited',
  'needs-reconnect': 'refused the credentials, reconnect the Twilio account',
  unavailable: 'unavailable',
  rejected: 'refused the request',
  'recipient-refused': 'refused the recipient',
};

/** `Retry-After` in seconds or as an HTTP date. */
function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const objectOf = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

function failed(status: number, headers: Headers, body: unknown): DeliveryError {
  const error = objectOf(body) as TwilioErrorBody;
  const code = typeof error.code === 'number' ? error.code : undefined;
  const words = error.message ?? (typeof body === 'string' ? body.trim().slice(0, 200) : '');
  const notes = [code !== undefined && `code ${code}`, error.more_info].filter(Boolean).join(', ');
  const said = `HTTP ${status}${words ? `: ${words}` : ''}${notes ? ` [${notes}]` : ''}`;
  const kind = kindOf(status, code);
  return new DeliveryError('sms', kind, `Twilio: ${DOING[kind]} (${said})`, {
    status,
    code,
    retryAfterMs: kind === 'rate-limited' ? retryAfterMs(headers) : undefined,
  });
}

/** A Message resource as we keep it; a 2xx without a sid leaves the message's fate unknown. */
function messageOf(resource: Record<string, unknown>): TwilioMessage {
  const { sid, status, date_created: created } = resource;
  if (typeof sid !== 'string' || !sid) {
    throw new DeliveryError('sms', 'rejected', 'Twilio: answered success without a message sid');
  }
  return { sid, status: String(status), dateCreated: new Date(String(created)) };
}

export function createTwilioClient(settings: TwilioSettings): TwilioClient {
  const base = (settings.baseUrl ?? TWILIO_API_URL).replace(/\/+$/, '');
  const account = `/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}`;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const basic = Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64');
  const secrets = [settings.authToken, encodeURIComponent(settings.authToken), basic];

  /** Calls once: a path under the account (or the next_page_uri Twilio gave); answers the JSON object of a 2xx. */
  async function call(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    if (!path.startsWith(`${account}/`) && !path.startsWith(`${account}.json`)) {
      throw new DeliveryError('sms', 'rejected', 'Twilio: answered a link outside the account');
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let body: unknown;
    try {
      response = await (settings.fetch ?? fetch)(`${base}${path}`, {
        method,
        headers: {
          authorization: `Basic ${basic}`,
          accept: 'application/json',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form ? new URLSearchParams(form).toString() : null,
        signal: timeout,
      });
      body = parse(redact(await response.text(), secrets));
    } catch (error) {
      const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
      const detail = timeout.aborted
        ? `did not answer within ${timeoutMs} ms`
        : `could not be reached (${redact(reason, secrets) || 'network error'})`;
      throw new DeliveryError('sms', 'unavailable', `Twilio: ${detail}`, { cause: scrubbed(error, secrets) });
    }
    if (!response.ok) throw failed(response.status, response.headers, body);
    if (typeof body !== 'object' || body === null) {
      const said = `answered HTTP ${response.status} with something that is not a JSON object`;
      throw new DeliveryError('sms', 'rejected', `Twilio: ${said}`, { status: response.status });
    }
    return body as Record<string, unknown>;
  }

  return {
    async sendMessage(message) {
      const form: Record<string, string> = { To: message.to, Body: message.body };
      if (message.from) form.From = message.from;
      if (message.messagingServiceSid) form.MessagingServiceSid = message.messagingServiceSid;
      if (message.statusCallback) form.StatusCallback = message.statusCallback;
      return messageOf(await call('POST', `${account}/Messages.json`, form));
    },

    // Not filtered by DateSent: date_sent is empty until Twilio hands the message to the carrier,
    // so a message still queued (a Messaging Service's queue can hold one for hours) would be
    // missed, and sent twice. To and From narrow the list to one conversation, which is short.
    async findMessage(lookup) {
      const since = lookup.sentAfter.getTime() - CLOCK_SKEW_MS;
      const query = new URLSearchParams({
        To: lookup.to,
        ...(lookup.from ? { From: lookup.from } : {}),
        PageSize: PAGE_SIZE,
      });
      let path: unknown = `${account}/Messages.json?${query}`;
      while (typeof path === 'string' && path) {
        const page = await call('GET', path);
        const messages = Array.isArray(page.messages) ? page.messages.map(objectOf) : [];
        const found = messages.find(
          (resource) => resource.body === lookup.body && Date.parse(String(resource.date_created)) >= since,
        );
        if (found) return messageOf(found);
        path = page.next_page_uri;
      }
      return undefined;
    },

    async verifyCredentials() {
      const { friendly_name: friendlyName, status } = await call('GET', `${account}.json`);
      if (status !== 'active') {
        throw new DeliveryError('sms', 'needs-reconnect', `Twilio: the account is ${String(status)}, not active`);
      }
      return { friendlyName: String(friendlyName), status };
    },
  };
}
