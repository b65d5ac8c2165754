// The text of a post, and for X its split into a thread. X counts length its own way (twitter-text):
// most scripts count 1 per character, CJK and emoji 2, and every URL 23 whatever its length (it
// is shortened to t.co). Counting the same way keeps each part within 280 and a link in one piece.
import type { PostContent } from './platform.ts';

export const TWEET_MAX_WEIGHT = 280;
const URL_WEIGHT = 23;
/** twitter-text's code point ranges that count 1; everything else counts 2. */
const LIGHT_RANGES: [number, number][] = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];

/** Title on its own paragraph, then the copy, then "call to action: link" (or whichever is set). */
export function composePostText(content: PostContent): string {
  const callToAction = content.callToAction?.trim();
  const link = content.link?.trim();
  const closing = callToAction && link ? `${callToAction}: ${link}` : (callToAction ?? link);
  return [content.title.trim(), content.copy.trim(), closing]
    .filter((paragraph): paragraph is string => Boolean(paragraph))
    .join('\n\n');
}

function charWeight(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return LIGHT_RANGES.some(([from, to]) => code >= from && code <= to) ? 1 : 2;
}

function isUrl(word: string): boolean {
  return /^https?:\/\/\S+$/i.test(word);
}

/** The length X counts for this text. */
export function tweetWeight(text: string): number {
  let weight = 0;
  for (const piece of text.split(/(\s+)/)) {
    if (isUrl(piece)) weight += URL_WEIGHT;
    else for (const char of piece) weight += charWeight(char);
  }
  return weight;
}

/** Cuts a word too long for any part (not a URL, which weighs 23) at the limit, by code points. */
function cutWord(word: string, maxWeight: number): [string, string] {
  let weight = 0;
  let end = 0;
  for (const char of word) {
    weight += charWeight(char);
    if (weight > maxWeight) break;
    end += char.length;
  }
  return [word.slice(0, end), word.slice(end)];
}

/** Greedy split at whitespace; the whitespace inside a part (line breaks too) is kept. */
function chunk(text: string, maxWeight: number): string[] {
  const pieces = text.split(/(\s+)/); // words at even indexes, the whitespace between them at odd ones
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < pieces.length; i += 2) {
    const word = pieces[i] ?? '';
    const candidate = current ? `${current}${pieces[i - 1]}${word}` : word;
    if (tweetWeight(candidate) <= maxWeight) {
      current = candidate;
      continue;
    }
    if (current) parts.push(current);
    current = word;
    while (tweetWeight(current) > maxWeight) {
      const [head, rest] = cutWord(current, maxWeight);
      parts.push(head);
      current = rest;
    }
  }
  if (current) parts.push(current);
  return parts;
}

/**
 * The tweets of a text: itself when it fits, else parts split at word boundaries, each ending
 * " (i/n)" and each within the limit including that suffix.
 */
export function splitIntoThread(text: string, maxWeight = TWEET_MAX_WEIGHT): string[] {
  const trimmed = text.trim();
  if (tweetWeight(trimmed) <= maxWeight) return [trimmed];
  // Room for the widest suffix; more digits are reserved only if the part count needs them.
  for (let digits = 1; ; digits += 1) {
    const widest = '9'.repeat(digits);
    const parts = chunk(trimmed, maxWeight - ` (${widest}/${widest})`.length);
    if (String(parts.length).length <= digits) {
      return parts.map((part, index) => `${part} (${index + 1}/${parts.length})`);
    }
  }
}
