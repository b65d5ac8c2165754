// What the offline CMO agents share: text that fits a channel's limits, goal and channel
// classification, money split to the cent, and the copy of one step written from a brief. Pure
// functions only, so the agents that use them stay deterministic.
import type { AssetType } from '../../domain/asset-types.ts';
import {
  characterCount,
  SMS_MAX_CHARACTERS,
  SOCIAL_POST_MAX_CHARACTERS,
  SUBJECT_MAX_CHARACTERS,
} from '../../domain/channel-limits.ts';
import type { CAMPAIGN_GOALS } from '../agent-inputs.ts';
import type { VariantCopy } from '../agent-outputs.ts';
import type { WorkspaceContext } from '../workspace-context.ts';

export type Goal = (typeof CAMPAIGN_GOALS)[number];

/** The channel names the output schemas accept; stored data is filtered with it, not trusted. */
export const CHANNEL_NAME = /^[a-z][a-z0-9_]{0,31}$/;

/** Carriers require an opt-out in marketing SMS; the built-in optimizer adds the same sentence. */
export const SMS_OPT_OUT = 'Reply STOP to opt out.';

export const oneLine = (text: string) => text.replace(/\s+/gu, ' ').trim();
export const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
export const lowerFirst = (text: string) =>
  /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
export const unique = <T>(values: Iterable<T>) => [...new Set(values)];
/** Drops a trailing full stop and the like, so a phrase can be set inside a sentence. */
export const withoutEndPunctuation = (text: string) => text.trim().replace(/[\s.!?;:,]+$/u, '');

/**
 * The text cut to at most `max` characters (code points, as inboxes and carriers count) at the
 * last whitespace, dropping trailing separators; a single over-long word is cut hard.
 */
export function truncateAtWord(text: string, max: number): string {
  const chars = Array.from(text.trim());
  if (chars.length <= max) return chars.join('');
  // One character past the limit shows whether the cut falls between words.
  const head = chars.slice(0, max + 1).join('');
  const atWord = /\s/u.test(head) ? head.replace(/\s\S*$/u, '').replace(/[\s,;:\-–—]+$/u, '') : '';
  return atWord || chars.slice(0, max).join('').trim();
}

/** "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The campaign goal a free-text goal aims at. Money words win over meeting words ("grow MRR
 * with demos" is about revenue), meeting words over plain "sales" ("book sales calls" is about
 * meetings); anything else is lead generation, the usual first goal.
 */
export function classifyGoal(text: string): Goal {
  if (/\b(revenue|mrr|arr|income|profits?|roi)\b/i.test(text)) return 'revenue';
  if (/\b(meetings?|demos?|calls?|appointments?|consultations?)\b/i.test(text)) return 'meetings';
  if (/\b(sales|sell|selling|orders?|purchases?)\b/i.test(text)) return 'revenue';
  return 'leads';
}

/** Words in a channel name (split at underscores) that say which asset types it carries. */
const CHANNEL_WORDS: Record<AssetType, readonly string[]> = {
  email: ['email', 'emails', 'mail', 'newsletter'],
  sms: ['sms', 'text', 'mms'],
  voice: ['voice', 'phone', 'call', 'calls', 'calling', 'telephone'],
  social_post: ['social', 'linkedin', 'facebook', 'instagram', 'x', 'twitter', 'threads', 'tiktok', 'bluesky'],
  landing_page: ['web', 'website', 'site', 'landing', 'seo', 'blog', 'content'],
  ad: ['ad', 'ads', 'paid', 'ppc', 'sem', 'display'],
};

/** Whether a channel carries an asset type; paid_social, say, carries both ads and posts. */
export function channelFits(channel: string, assetType: AssetType): boolean {
  return channel.split('_').some((word) => CHANNEL_WORDS[assetType].includes(word));
}

/** The asset type of a sequence step on a channel; email when the channel says nothing. */
export function sequenceAssetType(channel: string): AssetType {
  const types = ['sms', 'voice', 'social_post', 'email'] as const;
  return types.find((type) => channelFits(channel, type)) ?? 'email';
}

/** The wait before a step: none for the first, then longer as interest cools (72 h, 96 h ... 168 h). */
export const followUpDelayHours = (stepIndex: number) => (stepIndex === 0 ? 0 : Math.min(168, 48 + 24 * stepIndex));

/**
 * `total` split in proportion to `weights`, rounded down to `decimals` places with the remainder
 * on the last part, so the parts add up to the total to the cent (or to the share's precision).
 */
export function splitAmount(total: number, weights: readonly number[], decimals = 2): number[] {
  const scale = 10 ** decimals;
  const units = Math.round(total * scale);
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const parts = weights.map((weight) => (weightSum > 0 ? Math.floor((units * weight) / weightSum) : 0));
  const assigned = parts.reduce((sum, part) => sum + part, 0);
  if (parts.length > 0) parts[parts.length - 1]! += units - assigned;
  return parts.map((part) => part / scale);
}

export function formatMoney(amount: number, currency: string): string {
  const digits = Number.isInteger(amount) ? 0 : 2;
  const figure = amount.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${figure} ${currency}`;
}

export const formatPercent = (share: number) => `${Number((share * 100).toFixed(2))}%`;

/** The value when it is an absolute http(s) URL (what a campaign's cta_url accepts), else null. */
export function httpUrlOrNull(value: string | null | undefined): string | null {
  const url = value?.trim() ?? '';
  return /^https?:\/\/[^\s/?#]+\S*$/i.test(url) && url.length <= 2000 && URL.canParse(url) ? url : null;
}

/**
 * The context with blank or padded text trimmed away: nothing in the database forbids an empty
 * pain or a name of spaces, and copy built from them would read badly or fail the output schemas.
 */
export function usableContext(context: WorkspaceContext): WorkspaceContext {
  const clean = (text: string | null) => text?.trim() || null;
  const cleanList = (list: readonly string[]) => list.map((item) => item.trim()).filter(Boolean);
  const { brand } = context;
  return {
    ...context,
    brand: brand?.brand_name.trim()
      ? { ...brand, brand_name: brand.brand_name.trim(), website: clean(brand.website) }
      : null,
    segments: context.segments
      .filter((segment) => segment.name.trim())
      .map((segment) => ({
        ...segment,
        name: segment.name.trim(),
        pains: cleanList(segment.pains),
        goals: cleanList(segment.goals),
        objections: cleanList(segment.objections),
        channels: segment.channels.filter((channel) => CHANNEL_NAME.test(channel)),
      })),
    offers: context.offers
      .filter((offer) => offer.name.trim())
      .map((offer) => ({
        ...offer,
        name: offer.name.trim(),
        description: clean(offer.description),
        cta: clean(offer.cta),
      })),
  };
}

/** An ISO date moved by whole days, in UTC so the result does not depend on the host's zone. */
export function addDays(isoDate: string, days: number): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day! + days)).toISOString().slice(0, 10);
}

/** Pains are stored as free text (a noun or a whole clause), so they are quoted after a colon, never inflected. */
export const painHook = (who: string, pain: string) =>
  `For ${who}, one problem keeps coming up: ${lowerFirst(withoutEndPunctuation(pain))}.`;
export const painQuestion = (pain: string) =>
  `Quick question, does this sound familiar: ${lowerFirst(withoutEndPunctuation(pain))}?`;
/** The call's question when the opener has just named the pain. */
export const NAMED_PAIN_QUESTION = 'Is that something your team runs into as well?';

/**
 * What one piece of copy says, for writeCopy to shape per asset type and limit: the subject (or
 * headline; cut to the subject limit there), the hook (the opening sentence: the pain or angle the
 * variant leads with), a question a caller asks about it, and the pitch (the offer in a sentence).
 */
export interface CopyBrief {
  brandName: string | null;
  subject: string;
  hook: string;
  question: string;
  pitch: string;
  ctaText: string;
  ctaUrl: string | null;
}

/**
 * Whole sentences, in order, as long as they fit before the tail (a call to action that must not
 * be cut off); the first sentence is cut at a word when even it does not fit.
 */
function fitBeforeTail(sentences: readonly string[], tail: string, max: number): string {
  const fittedTail = truncateAtWord(tail, Math.floor(max / 2));
  const room = max - characterCount(fittedTail) - 1;
  const kept: string[] = [];
  for (const sentence of sentences.map(oneLine).filter(Boolean)) {
    if (characterCount([...kept, sentence].join(' ')) > room) break;
    kept.push(sentence);
  }
  // Not even the first sentence fits: it is cut at a word, and the ellipsis shows it was cut.
  const main = kept.length ? kept.join(' ') : `${truncateAtWord(oneLine(sentences[0] ?? ''), room - 1)}…`;
  return room > 1 ? `${main} ${fittedTail}` : fittedTail;
}

const asSentence = (text: string) => (/[.!?…]$/u.test(text) ? text : `${text}.`);
const fits = (parts: readonly string[], max: number) => characterCount(parts.join(' ')) <= max;

/** The fields an asset type needs (REQUIRED_COPY), each within its channel's limit. */
export function writeCopy(assetType: AssetType, brief: CopyBrief): VariantCopy {
  const cta = withoutEndPunctuation(brief.ctaText);
  const ctaLine = brief.ctaUrl ? `${cta}: ${brief.ctaUrl}` : `${cta}.`;
  const subject = truncateAtWord(oneLine(brief.subject), SUBJECT_MAX_CHARACTERS);
  const signOff = brief.brandName ? `The ${brief.brandName} team` : null;
  switch (assetType) {
    case 'email':
      return { subject, body: [brief.hook, brief.pitch, ctaLine, signOff].filter(Boolean).join('\n\n') };
    case 'sms': {
      // A long link would crowd out the message; the SMS then carries the call to action alone.
      const smsCta = brief.ctaUrl && characterCount(brief.ctaUrl) <= 40 ? ctaLine : `${cta}.`;
      const sender = brief.brandName ? `${brief.brandName}: ` : '';
      const room = SMS_MAX_CHARACTERS - characterCount(SMS_OPT_OUT) - 1;
      // The hook is a full sentence; when it leaves no room, the shorter subject leads instead.
      const lead = fits([`${sender}${brief.hook}`, smsCta], room) ? brief.hook : asSentence(subject);
      const message = fitBeforeTail([`${sender}${lead}`, brief.pitch], smsCta, room);
      return { sms_copy: `${message} ${SMS_OPT_OUT}` };
    }
    case 'voice': {
      const opener = brief.brandName ? `Hi, I'm calling from ${brief.brandName}.` : 'Hi, thanks for picking up.';
      const close = brief.ctaUrl ? `I can send you the link: ${brief.ctaUrl}.` : 'I can follow up by email.';
      const script = [
        `Opener: ${opener} ${brief.hook}`,
        `Question: ${brief.question}`,
        `Pitch: ${brief.pitch}`,
        `Call to action: Would you like to ${lowerFirst(cta)}? ${close}`,
        'Close: Thanks for your time.',
      ];
      return { voice_script: script.join('\n') };
    }
    case 'social_post':
      return { social_post: fitBeforeTail([brief.hook, brief.pitch], ctaLine, SOCIAL_POST_MAX_CHARACTERS) };
    case 'landing_page':
      return { subject, body: [subject, brief.hook, brief.pitch, ctaLine].join('\n\n') };
    case 'ad':
      return { body: fitBeforeTail([asSentence(subject), brief.pitch], ctaLine, SOCIAL_POST_MAX_CHARACTERS) };
  }
}
