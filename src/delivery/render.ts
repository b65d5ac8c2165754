// One variant rendered for one recipient: the copy is a Liquid template (liquidjs: no code runs,
// only the contact's own fields are reachable), rendered once per field per message.
//
// A merge value has to be HTML-escaped in the e-mail's HTML, but so does the copy's own text (it
// is plain text: "Tom & Jerry" must not start an entity), and a URL the copy writes becomes a link
// while a URL a contact typed into a form must not (or a sign-up form could put a tracked link on
// our domain into mail to someone else). So the template is rendered once, with each merge value
// wrapped in two private-use characters; the HTML escapes everything, and knows which characters
// came from data. Liquid's `outputEscape` does the wrapping, so `| raw` is disabled below.
//
// Speed: the parse is cached per template string, copy without `{{`/`{%` skips Liquid, and a
// link's URL parsing and UTM tagging are memoised (they were a third of the time). On this 2-vCPU
// machine (Node 24), 100,000 renderEmail calls of demo-like copy (a merge field in the subject, two
// in the body, two links and a call to action, tracking on) take 1.0-1.1 s, ~10 µs a message, a
// third of it in Liquid; 1.5-2 s under Vitest's loader. The test 'renders 100,000 e-mails …'
// measures it again and fails above 5 s. 100,000 renderSms calls take ~0.35 s.
import { Liquid, type Template } from 'liquidjs';
import { type BodyLink, emailHtml, emailText } from './email-html.ts';
import { findLinks, type Utm, utmTagger } from './links.ts';
import { smsSegments } from './sms-segments.ts';

export type CopyField = 'subject' | 'body' | 'sms_copy';

/** A variant's copy does not parse or does not render: the worker fails the variant, not the run. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  readonly field: CopyField;
  /** What is wrong, without the field's name (an API error names the field apart). */
  readonly detail: string;
  constructor(field: CopyField, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
    this.detail = message;
  }
}

/** The contact's columns a template may name; the rest of the row (ids, status) stays out of reach. */
export interface MergeContact {
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  job_title?: string | null;
  attributes?: Record<string, unknown> | null;
}

const TEXT_FIELDS = ['first_name', 'last_name', 'email', 'phone', 'company', 'job_title'] as const;
export const MERGE_FIELDS = [...TEXT_FIELDS, 'attributes'] as const;

/**
 * Twice the longest body the API accepts (100,000 characters), so no real copy comes near it,
 * while a loop that writes megabytes is refused before it reaches a transport.
 */
const MAX_SOURCE_CHARACTERS = 200_000;
const MAX_RENDERED_CHARACTERS = 200_000;

const MERGE_START = '\uE000';
const MERGE_END = '\uE001';
const MARKERS = /[\uE000\uE001]/g;

function mergeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(mergeText).join('');
  // A JSON object as text reads "[object Object]" in someone's inbox; nothing is better.
  return '';
}

const liquid = new Liquid({
  // Only the scope's own keys: `{{ constructor }}`, `{{ first_name.constructor }}` are empty.
  ownPropertyOnly: true,
  // A missing value renders empty (the demo's `Hi {{first_name}},`), never "undefined".
  strictVariables: false,
  // A misspelt filter is an error on save, not a silently unfiltered value in 10,000 inboxes.
  strictFilters: true,
  // DoS bounds per call (liquidjs's cooperative limits, docs "DoS Prevention"): characters per
  // parse; milliseconds per render (checked before each node; a real render takes microseconds,
  // 200 ms leaves room for a GC pause, and the worker fails the variant at the first refusal);
  // allocations liquidjs accounts for (ranges, append, concat, join), far above any copy's.
  parseLimit: MAX_SOURCE_CHARACTERS,
  renderLimit: 200,
  memoryLimit: 1_000_000,
  // No file system behind include/render/layout (they are refused at parse below, too).
  templates: {},
  outputEscape: (value: unknown) => {
    const text = mergeText(value).replace(MARKERS, '');
    return text === '' ? '' : MERGE_START + text + MERGE_END;
  },
});
// `| raw` would skip outputEscape, and so the marking: an identity filter without the raw flag.
liquid.registerFilter('raw', (value: unknown) => value);
for (const name of ['include', 'render', 'layout']) {
  liquid.registerTag(name, {
    parse() {
      throw new Error(`{% ${name} %} is not available: a message is one template`);
    },
    render() {},
  });
}

type Parsed =
  | { kind: 'static'; text: string }
  | { kind: 'liquid'; templates: Template[] }
  | { kind: 'error'; message: string };

/**
 * Parses by template string: a variant is rendered for thousands of recipients, and a parse of the
 * demo's body takes 18 µs against 5 µs for a render (more than the rest of an e-mail together).
 * First in, first out past a bound in entries and in characters, so a worker holding a few long
 * bodies (the API takes 100,000 characters) keeps tens of megabytes at most.
 */
const cache = new Map<string, Parsed>();
const CACHE_ENTRIES = 1_000;
const CACHE_CHARACTERS = 10_000_000;
let cachedCharacters = 0;

function parse(source: string): Parsed {
  const hit = cache.get(source);
  if (hit) return hit;
  let parsed: Parsed;
  // The markers are ours: a copy that holds one would make its own text look like a merge value.
  const clean = source.replace(MARKERS, '');
  if (clean.length > MAX_SOURCE_CHARACTERS) {
    parsed = { kind: 'error', message: `the template is longer than ${MAX_SOURCE_CHARACTERS} characters` };
  } else if (!clean.includes('{{') && !clean.includes('{%')) {
    parsed = { kind: 'static', text: clean };
  } else {
    try {
      parsed = { kind: 'liquid', templates: liquid.parse(clean) };
    } catch (error) {
      parsed = { kind: 'error', message: (error as Error).message };
    }
  }
  while (cache.size > 0 && (cache.size >= CACHE_ENTRIES || cachedCharacters + source.length > CACHE_CHARACTERS)) {
    const oldest = cache.keys().next().value!;
    cachedCharacters -= oldest.length;
    cache.delete(oldest);
  }
  cache.set(source, parsed);
  cachedCharacters += source.length;
  return parsed;
}

function scopeOf(contact: MergeContact): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) scope[field] = contact[field] ?? null;
  const attributes = contact.attributes;
  scope.attributes = attributes && typeof attributes === 'object' && !Array.isArray(attributes) ? attributes : {};
  return scope;
}

/** Rendered copy: its text, and the [start, end) ranges of it that are merge values, flattened. */
export interface Rendered {
  text: string;
  merged: number[];
}

/** Renders one field for one contact; throws TemplateError. Line breaks come out as \n. */
export function renderField(field: CopyField, source: string, contact: MergeContact): Rendered {
  const parsed = parse(source);
  if (parsed.kind === 'error') throw new TemplateError(field, parsed.message);
  let raw: string;
  if (parsed.kind === 'static') raw = parsed.text;
  else {
    try {
      raw = String(liquid.renderSync(parsed.templates, scopeOf(contact)));
    } catch (error) {
      throw new TemplateError(field, (error as Error).message);
    }
  }
  if (raw.length > MAX_RENDERED_CHARACTERS) {
    throw new TemplateError(field, `renders to more than ${MAX_RENDERED_CHARACTERS} characters`);
  }
  return unmark(raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw);
}

/** The text without the markers, and where the merge values are in it. Markers never nest. */
function unmark(raw: string): Rendered {
  if (!raw.includes(MERGE_START)) return { text: raw, merged: [] };
  const merged: number[] = [];
  let text = '';
  let from = 0;
  for (;;) {
    const start = raw.indexOf(MERGE_START, from);
    if (start < 0) break;
    const end = raw.indexOf(MERGE_END, start);
    text += raw.slice(from, start);
    merged.push(text.length);
    text += raw.slice(start + 1, end);
    merged.push(text.length);
    from = end + 1;
  }
  return { text: text + raw.slice(from), merged };
}

/**
 * Why a copy cannot be sent, or undefined when it can: its syntax, a filter that does not exist,
 * a tag that is refused, a merge field that is not a contact's, or a render that fails or runs
 * away (tried on an empty contact). For the API on save; the worker gets the same TemplateError.
 */
export function checkTemplate(field: CopyField, source: string): TemplateError | undefined {
  const parsed = parse(source);
  if (parsed.kind === 'error') return new TemplateError(field, parsed.message);
  if (parsed.kind === 'static') return undefined;
  const known: readonly string[] = MERGE_FIELDS;
  for (const segments of liquid.globalVariableSegmentsSync(parsed.templates)) {
    const root = segments[0];
    if (typeof root === 'string' && !known.includes(root)) {
      return new TemplateError(field, `unknown merge field "${root}"; a contact has ${MERGE_FIELDS.join(', ')}`);
    }
  }
  try {
    renderField(field, source, {});
  } catch (error) {
    return error as TemplateError;
  }
  return undefined;
}

/** What the worker knows of tracking for this message; undefined parts are switched off. */
export interface EmailTracking {
  /** The URL that records a click on links[index] and redirects there; absent: links go direct. */
  click?: (url: string, index: number) => string;
  openPixelUrl?: string;
  unsubscribeUrl: string;
}

export interface EmailCampaign extends Utm {
  cta_text?: string | null;
  cta_url?: string | null;
}

export interface EmailInput {
  subject: string;
  body: string;
  contact: MergeContact;
  links: EmailTracking;
  campaign?: EmailCampaign;
  /** Plain text under the body, e.g. the sender's postal address (CAN-SPAM wants one). */
  footer?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /**
   * The destinations, UTM parameters added, each once, in order of appearance (the call to action
   * last). A click token carries an index into this list and nothing else, so the click endpoint
   * can only ever redirect to one of these URLs.
   */
  links: string[];
}

const DEFAULT_CTA_TEXT = 'Learn more';

export function renderEmail(input: EmailInput): RenderedEmail {
  const subject = plainSubject(renderField('subject', input.subject, input.contact).text);
  const body = renderField('body', input.body, input.contact);
  const campaign = input.campaign ?? {};
  const links: string[] = [];
  const tag = utmTagger(campaign);
  const hrefFor = (url: string) => {
    const destination = tag(url);
    let index = links.indexOf(destination);
    if (index < 0) index = links.push(destination) - 1;
    return input.links.click ? input.links.click(destination, index) : destination;
  };
  const found = findLinks(body.text, body.merged);
  const bodyLinks: BodyLink[] = found.map((link) => ({ start: link.start, end: link.end, href: hrefFor(link.url) }));
  // The campaign's call to action, unless the body already links it (the optimizer appends it as
  // "Learn more: URL" to a body that lacks it; a button beside that would say it twice).
  const ctaUrl = campaign.cta_url?.trim();
  const cta =
    ctaUrl && findLinks(ctaUrl, [])[0]?.url === ctaUrl && !found.some((link) => link.url === ctaUrl)
      ? { text: campaign.cta_text?.trim() || DEFAULT_CTA_TEXT, href: hrefFor(ctaUrl) }
      : undefined;
  const document = {
    subject,
    body: body.text,
    links: bodyLinks,
    cta,
    footer: input.footer,
    unsubscribeUrl: input.links.unsubscribeUrl,
    openPixelUrl: input.links.openPixelUrl,
  };
  return { subject, html: emailHtml(document), text: emailText(document), links };
}

/** A subject is one header line: line breaks (and a merge value's) become spaces, runs collapse. */
function plainSubject(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  return text.replace(/[\s\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim();
}

export interface SmsInput {
  sms_copy: string;
  contact: MergeContact;
  links?: { click?: (url: string, index: number) => string };
  campaign?: Utm;
}

export interface RenderedSms {
  body: string;
  links: string[];
  /** What the carrier bills: segments of 153 GSM-7 septets or 67 UCS-2 units once over one. */
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
}

/**
 * The SMS as written, merge values in, links tracked: no escaping, line breaks kept (the opt-out
 * line "Reply STOP to opt out." stays on its own line), outer whitespace trimmed.
 */
export function renderSms(input: SmsInput): RenderedSms {
  const rendered = renderField('sms_copy', input.sms_copy, input.contact);
  const links: string[] = [];
  const tag = utmTagger(input.campaign ?? {});
  let body = '';
  let at = 0;
  for (const link of findLinks(rendered.text, rendered.merged)) {
    const destination = tag(link.url);
    let index = links.indexOf(destination);
    if (index < 0) index = links.push(destination) - 1;
    body += rendered.text.slice(at, link.start) + (input.links?.click?.(destination, index) ?? destination);
    at = link.end;
  }
  body = (body + rendered.text.slice(at)).trim();
  return { body, links, ...smsSegments(body) };
}
