// The offline setup agent: a step machine over INTAKE_STEPS. The last user message answers the
// current step; what simple parsing finds in it is merged over the client's existingData, which is
// merged over what the workspace already stores. Nothing is made up: a field nobody gave stays
// empty, and a step with nothing to go on is asked again rather than filled with a guess.
import { type BrandIntakeInput, INTAKE_STEPS, type IntakeStep } from '../agent-inputs.ts';
import type { BrandIntakeOutput } from '../agent-outputs.ts';
import type { WorkspaceContext } from '../workspace-context.ts';
import {
  CHANNEL_NAME,
  formatMoney,
  joinNames,
  oneLine,
  truncateAtWord,
  unique,
  withoutEndPunctuation,
} from './copy-helpers.ts';

type Profile = BrandIntakeOutput['brand_profile'];
type Segment = BrandIntakeOutput['icp_segments'][number];
type Offer = BrandIntakeOutput['offers'][number];
type Gathered = { profile: Profile; segments: Segment[]; offers: Offer[] };

/** Answers that pass on a step; the brand step cannot be passed, every later agent needs a name. */
const SKIP = /^(skip|none|no|nope|n\/a|not (yet|sure)|nothing|later|unsure|i don'?t know)\b/i;
const DOLLAR_CURRENCIES = new Set(['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD']);

export function offlineBrandIntake(input: BrandIntakeInput, context: WorkspaceContext): BrandIntakeOutput {
  const step = input.currentStep;
  const answer = input.messages.findLast((message) => message.role === 'user')?.content.trim() ?? '';
  // "skip" is never parsed as data (it is not a brand name); it passes any step but the brand's.
  const skipped = SKIP.test(answer);
  const parsed = skipped ? emptyGathered() : parseAnswer(step, answer, context.tenant.currency);
  const gathered = merge(merge(fromContext(context), fromExistingData(input.existingData)), parsed);
  const known = hasStepData(step, gathered);
  const answered = step === 'complete' || known || (skipped && step !== 'brand');
  const next: IntakeStep = answered ? INTAKE_STEPS[Math.min(INTAKE_STEPS.indexOf(step) + 1, 4)]! : step;
  const reply = answered
    ? `${understood(step, gathered, known)} ${question(next, gathered)}`
    : `I couldn't find that in your answer. ${question(step, gathered)}`;
  return {
    reply: truncateAtWord(reply.trim(), 4000),
    next_step: next,
    complete: next === 'complete',
    brand_profile: gathered.profile,
    icp_segments: gathered.segments.slice(0, 10),
    offers: gathered.offers.slice(0, 10),
  };
}

/** Reading no data at all gives the empty profile, every field null. */
const emptyGathered = (): Gathered => fromExistingData({});

function hasStepData(step: IntakeStep, gathered: Gathered): boolean {
  if (step === 'brand') return Boolean(gathered.profile.brand_name);
  if (step === 'audience') return gathered.segments.length > 0;
  if (step === 'offers') return gathered.offers.length > 0;
  return gathered.profile.tone.length > 0 || Boolean(gathered.profile.brand_voice);
}

function understood(step: IntakeStep, { profile, segments, offers }: Gathered, known: boolean): string {
  if (step === 'complete') return '';
  if (!known) return 'No problem, we can fill that in later.';
  if (step === 'brand') {
    const details = [profile.industry, profile.website].filter(Boolean).join(', ');
    return `Thanks, I have ${profile.brand_name}${details ? ` (${details})` : ''}.`;
  }
  if (step === 'audience') return `Got it: ${countOf(segments.length, 'segment')}: ${listNames(segments)}.`;
  if (step === 'offers') return `Noted ${countOf(offers.length, 'offer')}: ${joinNames(offers.map(offerLabel))}.`;
  return profile.tone.length ? `Tone noted: ${profile.tone.join(', ')}.` : 'Voice noted.';
}

const QUESTIONS: Record<Exclude<IntakeStep, 'complete'>, string> = {
  brand: 'What is your company called, and what does it do?',
  audience:
    'Who are your ideal customers? List your main segments, one per line or separated by commas; add a pain after a colon if you like ("Segment: their biggest problem").',
  offers: 'What do you sell? Put each offer on its own line with its price, like "Offer name - $99".',
  voice: 'How should {brand} sound? Give a few tone words separated by commas (for example: friendly, direct, expert).',
};

function question(next: IntakeStep, { profile, segments, offers }: Gathered): string {
  const brand = profile.brand_name ?? 'your brand';
  if (next !== 'complete') return QUESTIONS[next].replace('{brand}', brand);
  const tone = profile.tone.length ? `, tone ${profile.tone.join(', ')}` : '';
  return `That's everything for setup. ${profile.brand_name ?? 'Your brand'}: ${countOf(segments.length, 'segment')}${segments.length ? ` (${listNames(segments)})` : ''}, ${countOf(offers.length, 'offer')}${offers.length ? ` (${listNames(offers)})` : ''}${tone}. Next I can draft a 90-day plan.`;
}

const countOf = (count: number, noun: string) =>
  count ? `${count} ${noun}${count === 1 ? '' : 's'}` : `no ${noun}s yet`;
const listNames = (items: readonly { name: string }[]) => joinNames(items.map((item) => item.name));
const offerLabel = (offer: Offer) =>
  offer.price != null ? `${offer.name} (${formatMoney(offer.price, offer.currency ?? '').trim()})` : offer.name;

/** The parsers return raw JSON-like fields; fromExistingData trims, clips and checks them like any client data. */
function parseAnswer(step: IntakeStep, answer: string, tenantCurrency: string): Gathered {
  if (!answer) return emptyGathered();
  if (step === 'brand') return fromExistingData(parseBrand(answer));
  if (step === 'audience') return fromExistingData({ icp_segments: parseSegments(answer) });
  if (step === 'offers') return fromExistingData({ offers: parseOffers(answer, tenantCurrency) });
  if (step === 'voice') return fromExistingData({ tone: parseTone(answer), brand_voice: answer });
  return emptyGathered();
}

/** "Friendly, direct and expert": short phrases split at commas and conjunctions, lowercased. */
function parseTone(answer: string): string[] {
  const body = answer.replace(/^\s*(our (tone|voice) is|we (want to )?sound|tone:|voice:)\s*/i, '');
  const words = body.split(/[,;/\n]|\s+(?:and|but|yet|&)\s+/i).map((w) => withoutEndPunctuation(w).toLowerCase());
  return unique(words.filter((word) => word && word.split(/\s+/).length <= 3 && word.length <= 50)).slice(0, 10);
}

/** "We are X, a Y company." / "X is a Y." / a short first line taken as the name. */
function parseBrand(answer: string): Record<string, string | undefined> {
  const website = answer.match(/\bhttps?:\/\/[^\s,;)]+|\bwww\.[^\s,;)]+/i)?.[0]?.replace(/[.]+$/, '');
  const withoutWebsite = website ? answer.replace(website, ' ') : answer;
  const sentences = withoutWebsite.split(/(?<=[.!?])\s+|\n+/).map((sentence) => sentence.trim());
  const intro =
    withoutWebsite.match(
      /\b(?:we are|we're|i run|this is|our (?:company|brand|business) is(?: called)?)\s+([^,.\n]+?)(?:,\s*an?\s+([^.\n]+?))?\s*(?:[.\n]|$)/i,
    ) ?? withoutWebsite.match(/^\s*([^,.\n]+?)\s+is\s+an?\s+([^.\n]+?)\s*(?:[.\n]|$)/i);
  const firstLine = withoutEndPunctuation(sentences[0] ?? '');
  const shortFirstLine = firstLine.length <= 60 && firstLine.split(/\s+/).length <= 6 ? firstLine : undefined;
  return {
    brand_name: (intro?.[1] ?? shortFirstLine)?.replace(/^["'“]|["'”]$/g, ''),
    industry: intro?.[2]?.replace(/\s+(company|business|firm|startup|brand)$/i, ''),
    website,
    mission: sentences.find((sentence) => /\b(our mission|we help|we make|we exist to)\b/i.test(sentence)),
  };
}

/** Items one per line or semicolon; a single line splits at commas. Bullets and "and" are dropped. */
function splitItems(text: string): string[] {
  const separator = /[\n;]/.test(text.trim()) ? /[\n;]+/ : /,(?!\d)/;
  return text
    .split(separator)
    .map((item) => withoutEndPunctuation(item.replace(/^\s*(?:[-*•]|\d+[.)]|and\s)\s*/i, '')))
    .filter(Boolean);
}

function parseSegments(answer: string): { name: string; pains: string[] }[] {
  const body = answer.replace(
    /^\s*(our (audience|customers|buyers) (is|are)|we (sell|market) to|we target)\s*:?\s*/i,
    '',
  );
  return splitItems(body).map((item) => {
    const [, name = item, pain] = item.match(/^(.+?)\s*(?::|\s[-–—]\s)\s*(.+)$/) ?? [];
    return { name, pains: pain ? [pain] : [] };
  });
}

const PRICE =
  /(?:([$€£])\s?(\d[\d,]*(?:\.\d{1,2})?)|(\d[\d,]*(?:\.\d{1,2})?)\s?(usd|eur|gbp|cad|aud|chf)\b)(\s?(?:\/\s?mo(?:nth)?|per month|a month|monthly)\b)?/i;

/** "Name - $99", "Name: 490 EUR per month - what it is"; a price needs a currency sign or code. */
function parseOffers(answer: string, tenantCurrency: string): Record<string, unknown>[] {
  const body = answer.replace(/^\s*(we (sell|offer|have)|our offers? (are|is)|offers?:)\s*/i, '');
  return splitItems(body).map((item) => {
    const price = item.match(PRICE);
    const beforePrice = price ? item.slice(0, price.index) : item;
    const name = withoutEndPunctuation(beforePrice.split(/\s[-–—]\s|:|\(/)[0]!.replace(/\s+(for|at|costs?)$/i, ''));
    const rest = item.replace(name, '').replace(price?.[0] ?? '', '');
    const description = rest.replace(/^[\s\-–—:,(]+|[\s\-–—:,)]+$/g, '').replace(/\s[-–—]\s/g, ' ');
    const symbol = price?.[1];
    const dollar = DOLLAR_CURRENCIES.has(tenantCurrency) ? tenantCurrency : 'USD';
    const currency = symbol ? ({ '€': 'EUR', '£': 'GBP' }[symbol] ?? dollar) : (price?.[4]?.toUpperCase() ?? null);
    return {
      name: name || item,
      description,
      offer_type: price?.[5] ? 'subscription' : null,
      price: price ? Number((price[2] ?? price[3])!.replace(/,/g, '')) : null,
      currency,
    };
  });
}

const clip = (text: string, max: number) => truncateAtWord(oneLine(text), max);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim() ? clip(value, max) : null);
const texts = (value: unknown, max: number) =>
  (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [])
    .map((item) => text(item, max))
    .filter((item): item is string => item !== null)
    .slice(0, 10);

function fromContext({ brand, segments, offers }: WorkspaceContext): Gathered {
  return fromExistingData({ brand_profile: brand ?? {}, icp_segments: segments, offers });
}

/** The client's data is untyped JSON: only well-formed fields are taken. */
function fromExistingData(data: Record<string, unknown>): Gathered {
  const source = isRecord(data.brand_profile) ? { ...data, ...data.brand_profile } : data;
  const profile: Profile = {
    brand_name: text(source.brand_name, 200),
    industry: text(source.industry, 200),
    website: text(source.website, 2000),
    mission: text(source.mission, 2000),
    brand_voice: text(source.brand_voice, 2000),
    tone: texts(source.tone, 50),
  };
  const records = (value: unknown) =>
    (Array.isArray(value) ? value : []).filter(isRecord).filter((r) => text(r.name, 200));
  const segments = records(data.icp_segments ?? data.segments).map((record) => ({
    name: text(record.name, 200)!,
    description: text(record.description, 2000),
    pains: texts(record.pains, 300),
    goals: texts(record.goals, 300),
    objections: texts(record.objections, 300),
    channels: texts(record.channels, 32).filter((channel) => CHANNEL_NAME.test(channel)),
  }));
  const offers = records(data.offers).map((record) => ({
    name: text(record.name, 200)!,
    description: text(record.description, 2000),
    offer_type: text(record.offer_type, 100),
    price: typeof record.price === 'number' && record.price >= 0 ? record.price : null,
    currency: typeof record.currency === 'string' && /^[A-Z]{3}$/.test(record.currency) ? record.currency : null,
    cta: text(record.cta, 200),
  }));
  return { profile, segments, offers };
}

/** Later data wins field by field wherever it holds something; blanks never erase what is known. */
const holdsValue = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value != null && value !== '');
function overlay<T extends object>(older: T, newer: T): T {
  return { ...older, ...Object.fromEntries(Object.entries(newer).filter(([, value]) => holdsValue(value))) };
}

function merge(older: Gathered, newer: Gathered): Gathered {
  const byName = <T extends { name: string }>(olderList: T[], newerList: T[]) => {
    // Matched by name, so a segment listed again keeps the pains stored for it.
    const merged = new Map(olderList.map((item) => [item.name.toLowerCase(), item]));
    for (const item of newerList)
      merged.set(item.name.toLowerCase(), overlay(merged.get(item.name.toLowerCase()) ?? item, item));
    return [...merged.values()];
  };
  return {
    profile: overlay(older.profile, newer.profile),
    segments: byName(older.segments, newer.segments),
    offers: byName(older.offers, newer.offers),
  };
}
