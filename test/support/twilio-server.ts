// A local stand-in for Twilio's REST API (2010-04-01) for Messages, answering as Twilio does:
// HTTP Basic auth (401 with code 20003 otherwise), form-encoded creates validated like Twilio's
// (21604 no To, 21211 not a phone number, 21603 no sender, 21602 no Body…), Message resources with
// Twilio's fields and RFC 2822 dates, lists filtered by To, From and DateSent and paged by
// next_page_uri, and errors as `{code, message, more_info, status}`. It plays Twilio's webhooks
// too: `deliverStatus` posts a status callback and `sendInbound` an inbound message, both signed
// with X-Twilio-Signature as Twilio signs them. It records every request and can be scripted per
// test: `failNext` answers the next request as told, `refuseNumber` refuses a number with a code,
// `holdNext` makes the next message but keeps its answer back until the test lets it go.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from '../../src/delivery/twilio-signature.ts';

export interface RecordedRequest {
  method: string;
  /** Without the query: /2010-04-01/Accounts/AC…/Messages.json */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The form fields posted. */
  form: Record<string, string>;
  /** The HTTP status answered; undefined until answered. */
  status?: number;
}

/** A Message resource, as Twilio answers it. */
export interface MessageResource {
  sid: string;
  account_sid: string;
  api_version: '2010-04-01';
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  body: string;
  status: string;
  direction: 'outbound-api' | 'inbound';
  /** RFC 2822, e.g. "Thu, 24 Aug 2023 05:01:45 +0000". */
  date_created: string;
  date_updated: string;
  /** Empty until Twilio hands the message to the carrier. */
  date_sent: string | null;
  error_code: number | null;
  error_message: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  uri: string;
  subresource_uris: { media: string };
}

/** A message held back by holdNext: `arrived` resolves once Twilio has made it. */
export interface HeldMessage {
  arrived: Promise<MessageResource>;
  /** Sends the answer (to a client that may be gone by then). */
  release(): void;
}

/** How the app answered a webhook. */
export interface WebhookAnswer {
  status: number;
  /** Twilio reads TwiML (text/xml) from an inbound message's answer. */
  contentType: string | null;
  body: string;
}

export interface TwilioServer {
  /** Point createTwilioClient's baseUrl here. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  readonly requests: RecordedRequest[];
  /** Every message made, outbound and inbound, oldest first. */
  readonly messages: MessageResource[];
  /** The next request is answered `status` with `body` (Twilio's error for the status unless given). */
  failNext(status: number, body?: unknown, headers?: Record<string, string>): void;
  /** Messages to `to` are refused with Twilio's error `code` (21610 unsubscribed, 21614 not a mobile…). */
  refuseNumber(to: string, code: number): void;
  holdNext(): HeldMessage;
  /**
   * Moves the message to `status` and posts the status callback to its StatusCallback URL, as
   * Twilio does: form-encoded MessageSid, MessageStatus, To, From, AccountSid… (and `extra`, e.g.
   * ErrorCode), signed with the auth token.
   */
  deliverStatus(sid: string, status: string, extra?: Record<string, string>): Promise<WebhookAnswer>;
  /** Someone texts our number: the inbound message is made and posted to `url`, signed. */
  sendInbound(url: string, message: { From: string; To: string; Body: string }): Promise<WebhookAnswer>;
  /** Forgets requests, scripts and messages. */
  reset(): void;
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

const twilioError = (status: number, code: number, message: string): Answer => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

/** Twilio's words for the refusals a test can script. */
const REFUSALS: Record<number, (to: string) => string> = {
  21211: (to) => `Invalid 'To' Phone Number: ${to}`,
  21408: (to) => `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`,
  21610: () => 'Attempt to send to unsubscribed recipient',
  21612: (to) => `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`,
  21614: (to) => `'To' number ${to} is not a valid mobile number`,
};

const E164 = /^\+[1-9]\d{1,14}$/;
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** RFC 2822 as Twilio writes it. */
const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000');

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** SMS segments: 160 GSM-7 septets (153 when split, the extended characters counting two), else 70 UCS-2 units (67). */
function segmentsOf(body: string): number {
  const chars = [...body];
  if (chars.every((char) => GSM_BASIC.includes(char) || GSM_EXTENDED.includes(char))) {
    const septets = chars.reduce((sum, char) => sum + (GSM_EXTENDED.includes(char) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

/** A new Message resource of the account under `root`. */
function newMessage(
  accountSid: string,
  root: string,
  fields: Pick<
    MessageResource,
    'to' | 'from' | 'messaging_service_sid' | 'body' | 'status' | 'direction' | 'date_sent'
  >,
): MessageResource {
  const now = rfc2822(new Date());
  const messageSid = sid('SM');
  return {
    sid: messageSid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    ...fields,
    date_created: now,
    date_updated: now,
    error_code: null,
    error_message: null,
    num_media: '0',
    num_segments: String(segmentsOf(fields.body)),
    price: null,
    price_unit: 'USD',
    uri: `${root}/Messages/${messageSid}.json`,
    subresource_uris: { media: `${root}/Messages/${messageSid}/Media.json` },
  };
}

/** The statuses after Twilio handed the message to the carrier, which is when it gets a date_sent. */
const HANDED_TO_CARRIER = new Set(['sent', 'delivered', 'undelivered', 'read']);

/** YYYY-MM-DD of an RFC 2822 date, in GMT, as DateSent filters compare. */
const dayOf = (date: string) => new Date(date).toISOString().slice(0, 10);

/**
 * Twilio's DateSent filters, `DateSent=`, `DateSent>=` and `DateSent<=` a day, compare date_sent:
 * a message not handed to the carrier yet has none, and matches none of them.
 */
function sentOnDays(resource: MessageResource, query: Record<string, string>): boolean {
  const on = query.DateSent;
  const after = query['DateSent>'];
  const before = query['DateSent<'];
  if (on === undefined && after === undefined && before === undefined) return true;
  if (!resource.date_sent) return false;
  const day = dayOf(resource.date_sent);
  return (
    (on === undefined || day === on) && (after === undefined || day >= after) && (before === undefined || day <= before)
  );
}

export interface TwilioServerOptions {
  accountSid?: string;
  authToken?: string;
  /** The largest page a list answers, whatever PageSize asks: Twilio's is 1000; a test lowers it to see paging. */
  maxPageSize?: number;
}

export async function startTwilioServer(options: TwilioServerOptions = {}): Promise<TwilioServer> {
  const accountSid = options.accountSid ?? sid('AC');
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const root = `/2010-04-01/Accounts/${accountSid}`;
  const requests: RecordedRequest[] = [];
  const messages: MessageResource[] = [];
  const callbacks = new Map<string, string>();
  let refused = new Map<string, number>();
  let failures: Answer[] = [];
  let holds: { arrive: (message: MessageResource) => void; released: Promise<void> }[] = [];

  const authorized = (headers: IncomingHttpHeaders) =>
    headers.authorization === `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  function createMessage(form: Record<string, string>): Answer {
    const { To: to, From: from, MessagingServiceSid: service, Body: body } = form;
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from && !service) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (from && !E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) {
      return twilioError(
        400,
        21212,
        `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
      );
    }
    if (!body) return twilioError(400, 21602, 'Message body is required.');
    if (body.length > 1600) {
      return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    }
    const refusal = refused.get(to);
    if (refusal) return twilioError(400, refusal, (REFUSALS[refusal] ?? (() => 'The message was refused.'))(to));
    const message = newMessage(accountSid, root, {
      to,
      from: from ?? null,
      messaging_service_sid: service ?? null,
      body,
      // A Messaging Service picks the sender later: "accepted" until then.
      status: from ? 'queued' : 'accepted',
      direction: 'outbound-api',
      date_sent: null,
    });
    messages.push(message);
    if (form.StatusCallback) callbacks.set(message.sid, form.StatusCallback);
    return { status: 201, body: message };
  }

  /** Newest first, `PageSize` (50 unless said) a page from `Page`, with the next page's URI while any remain. */
  function listMessages(query: Record<string, string>): Answer {
    const matching = messages
      .filter((message) => (!query.To || message.to === query.To) && (!query.From || message.from === query.From))
      .filter((message) => sentOnDays(message, query))
      .reverse();
    const pageSize = Math.min(Number(query.PageSize ?? 50), options.maxPageSize ?? 1000);
    const page = Number(query.Page ?? 0);
    const start = page * pageSize;
    const items = matching.slice(start, start + pageSize);
    const filters = Object.fromEntries(Object.entries(query).filter(([name]) => !/^Page/.test(name)));
    const uriOf = (n: number, token?: string) => {
      const paging = { PageSize: String(pageSize), Page: String(n), ...(token ? { PageToken: token } : {}) };
      return `${root}/Messages.json?${new URLSearchParams({ ...filters, ...paging })}`;
    };
    const more = start + pageSize < matching.length;
    return {
      status: 200,
      body: {
        messages: items,
        page,
        page_size: pageSize,
        start,
        end: start + Math.max(items.length - 1, 0),
        uri: uriOf(page),
        first_page_uri: uriOf(0),
        previous_page_uri: page > 0 ? uriOf(page - 1) : null,
        next_page_uri: more ? uriOf(page + 1, `PA${items.at(-1)!.sid}`) : null,
      },
    };
  }

  function answer(request: RecordedRequest): Answer {
    if (!authorized(request.headers)) {
      return {
        ...twilioError(401, 20003, 'Authenticate'),
        headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
      };
    }
    const { method, path } = request;
    if (method === 'GET' && path === `${root}.json`) {
      return {
        status: 200,
        // Twilio answers the auth token with the account: a client must not pass it on.
        body: {
          sid: accountSid,
          friendly_name: 'Nightshift test',
          status: 'active',
          type: 'Full',
          auth_token: authToken,
          uri: `${root}.json`,
        },
      };
    }
    if (path === `${root}/Messages.json`) {
      if (method === 'POST') return createMessage(request.form);
      if (method === 'GET') return listMessages(request.query);
    }
    const [, messageSid] = path.match(new RegExp(`^${root}/Messages/(SM[0-9a-f]{32})\\.json$`)) ?? [];
    const found = method === 'GET' && messages.find((message) => message.sid === messageSid);
    if (found) return { status: 200, body: found };
    return twilioError(404, 20404, `The requested resource ${path} was not found`);
  }

  /** Posts a webhook the way Twilio does: form-encoded, signed over the exact URL and the parameters. */
  async function postWebhook(url: string, params: Record<string, string>): Promise<WebhookAnswer> {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'TwilioProxy/1.1',
        'x-twilio-signature': twilioSignature(authToken, url, params),
        'i-twilio-idempotency-token': randomUUID(),
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  }

  const server = createServer((incoming, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const isForm = incoming.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: incoming.headers,
        // Twilio reads form fields only: a JSON body has no To (21604).
        form: isForm ? Object.fromEntries(new URLSearchParams(raw)) : {},
      };
      requests.push(request);
      const scripted = failures.shift();
      const result = scripted ?? answer(request);
      const hold = !scripted && result.status === 201 ? holds.shift() : undefined;
      if (hold) {
        hold.arrive(result.body as MessageResource);
        await hold.released;
      }
      request.status = result.status;
      response.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', ...result.headers });
      response.end(JSON.stringify(result.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accountSid,
    authToken,
    requests,
    messages,
    failNext: (status, body, headers) =>
      failures.push({
        status,
        body:
          body ?? twilioError(status, status === 401 ? 20003 : 20000 + status, STATUS_CODES[status] ?? 'Error').body,
        ...(headers ? { headers } : {}),
      }),
    refuseNumber: (to, code) => refused.set(to, code),
    holdNext: () => {
      const arrived = Promise.withResolvers<MessageResource>();
      const released = Promise.withResolvers<void>();
      holds.push({ arrive: arrived.resolve, released: released.promise });
      return { arrived: arrived.promise, release: () => released.resolve() };
    },
    deliverStatus: async (messageSid, status, extra = {}) => {
      const message = messages.find((candidate) => candidate.sid === messageSid);
      const url = callbacks.get(messageSid);
      if (!message || !url) throw new Error(`no message ${messageSid} with a StatusCallback`);
      const now = rfc2822(new Date());
      message.status = status;
      message.date_updated = now;
      if (HANDED_TO_CARRIER.has(status)) message.date_sent ??= now;
      if (extra.ErrorCode) message.error_code = Number(extra.ErrorCode);
      return postWebhook(url, {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: message.from ?? '',
        MessageSid: messageSid,
        MessageStatus: status,
        SmsSid: messageSid,
        SmsStatus: status,
        To: message.to,
        ...(message.messaging_service_sid ? { MessagingServiceSid: message.messaging_service_sid } : {}),
        ...extra,
      });
    },
    sendInbound: (url, { From, To, Body }) => {
      const message = newMessage(accountSid, root, {
        to: To,
        from: From,
        messaging_service_sid: null,
        body: Body,
        status: 'received',
        direction: 'inbound',
        date_sent: rfc2822(new Date()),
      });
      messages.push(message);
      return postWebhook(url, {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        Body,
        From,
        MessageSid: message.sid,
        NumMedia: '0',
        NumSegments: message.num_segments,
        SmsMessageSid: message.sid,
        SmsSid: message.sid,
        SmsStatus: 'received',
        To,
      });
    },
    reset: () => {
      requests.length = 0;
      messages.length = 0;
      callbacks.clear();
      refused = new Map();
      failures = [];
      holds = [];
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
