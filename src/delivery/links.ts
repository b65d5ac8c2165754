// The links of rendered copy: http(s) URLs in plain text, and the campaign's UTM parameters on them.

export interface FoundLink {
  /** Where the URL is in the text, [start, end). */
  start: number;
  end: number;
  url: string;
}

/**
 * A URL runs to whitespace, a quote or an angle bracket ("see <https://…>" and "…" both end it).
 * Not after a letter or digit, so "xhttps://" is not a link.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters end a URL
const CANDIDATE = /(?<![A-Za-z0-9])https?:\/\/[^\s<>"`\u0000-\u001f\u007f]+/gi;
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '*']);
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * The http(s) URLs in `text`, in order. Sentence punctuation after a URL is not part of it, nor is
 * a closing bracket without its opening one inside the URL ("(see https://x.test/a_(b))" keeps one).
 * `merged` are the [start, end) ranges (flattened) that came from a contact's data: a URL may run
 * through one (a personalised path or query), but its scheme and host must be the copy's own, so a
 * contact's data never becomes a link, nor moves a link to another host.
 */
export function findLinks(text: string, merged: readonly number[]): FoundLink[] {
  const links: FoundLink[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const url = trimTrailing(match[0]);
    const authorityEnd = start + authorityLength(url);
    if (overlapsMerged(start, authorityEnd, merged) || !isHttpUrl(url)) continue;
    links.push({ start, end: start + url.length, url });
  }
  return links;
}

function trimTrailing(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1)!;
    const opening = CLOSING[last];
    if (TRAILING.has(last) || (opening && count(url, opening) < count(url, last))) url = url.slice(0, -1);
    else return url;
  }
}

const count = (text: string, character: string) => text.split(character).length - 1;

/** Scheme, "//" and host (with any user info and port): up to the first "/", "?" or "#" after it. */
function authorityLength(url: string): number {
  const from = url.indexOf('//') + 2;
  const end = url.slice(from).search(/[/?#]/);
  return end < 0 ? url.length : from + end;
}

function overlapsMerged(start: number, end: number, merged: readonly number[]): boolean {
  for (let i = 0; i < merged.length; i += 2) {
    if (merged[i]! < end && merged[i + 1]! > start) return true;
  }
  return false;
}

/**
 * Results by URL (and UTM set): a variant's links are the same for nearly every recipient, and
 * parsing a URL was a third of an e-mail's render time. Bounded, first in first out, since
 * personalised links differ per recipient.
 */
class Memo<T> {
  readonly #entries = new Map<string, T>();
  readonly #size: number;
  constructor(size: number) {
    this.#size = size;
  }
  get(key: string, compute: () => T): T {
    let value = this.#entries.get(key);
    if (value === undefined) {
      value = compute();
      if (this.#entries.size >= this.#size) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, value);
    }
    return value;
  }
}

const httpUrls = new Memo<boolean>(10_000);

function isHttpUrl(text: string): boolean {
  return httpUrls.get(text, () => {
    try {
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  });
}

/** A campaign's UTM parameters; a null, undefined or blank one is not added. */
export interface Utm {
  utm_source?: string | null;
  utm_medium?: string | null;
  utm_campaign?: string | null;
  utm_term?: string | null;
  utm_content?: string | null;
}

const UTM_NAMES = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;

/**
 * `url` with the campaign's UTM parameters it does not already have (whoever wrote the link chose
 * those values), added before any fragment. The rest of the URL is kept byte for byte: parsing and
 * re-serialising it could re-encode its query, and a signed link would break.
 */
export function withUtm(url: string, utm: Utm): string {
  return utmTagger(utm)(url);
}

/** withUtm for one set of parameters, made once per message rather than once per link. */
export function utmTagger(utm: Utm): (url: string) => string {
  const values = UTM_NAMES.map((name) => utm[name]?.trim() ?? '');
  if (values.every((value) => value === '')) return identity;
  return taggers.get(values.join('\n'), () => {
    const tagged = new Memo<string>(10_000);
    return (url) => tagged.get(url, () => addUtm(url, values));
  });
}

const identity = (url: string) => url;
/** One tagger per campaign's parameters; a worker sends few campaigns at a time. */
const taggers = new Memo<(url: string) => string>(100);

function addUtm(url: string, values: readonly string[]): string {
  let present: URLSearchParams;
  try {
    present = new URL(url).searchParams;
  } catch {
    return url;
  }
  const added = new URLSearchParams();
  UTM_NAMES.forEach((name, i) => {
    if (values[i] && !present.has(name)) added.append(name, values[i]);
  });
  if (added.size === 0) return url;
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${added}${fragment}`;
}
