// How many segments a carrier bills for an SMS (3GPP TS 23.038 and 23.040). A message of GSM-7
// characters only is sent in 7-bit septets: 160 fit one segment; a longer one is split into
// segments of 153, the other 7 septets holding the concatenation header. One character outside
// GSM-7 (an emoji, a curly quote, a backtick) sends the whole message as UCS-2: 70 UTF-16 units in
// one segment, 67 per segment beyond.

/** The GSM 03.38 default alphabet, one septet each, in table order (0x1B, the escape, left out). */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ' +
  ' !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: each character is the escape septet plus one, two septets in all. */
const EXTENSION = '\f^{}\\[~]|€';

const SEPTETS = new Map<string, number>([
  ...Array.from(BASIC, (character) => [character, 1] as const),
  ...Array.from(EXTENSION, (character) => [character, 2] as const),
]);

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

export function smsSegments(text: string): SmsSegments {
  const characters = Array.from(text);
  const septets: number[] = [];
  for (const character of characters) {
    const size = SEPTETS.get(character);
    if (size === undefined)
      return {
        encoding: 'UCS-2',
        segments: count(
          characters.map((c) => c.length),
          70,
          67,
        ),
      };
    septets.push(size);
  }
  return { encoding: 'GSM-7', segments: count(septets, 160, 153) };
}

/**
 * Segments for characters of the given sizes: one when all fit `single`, else filled in order up
 * to `multi` each. A character is never split between segments (an escape pair, a surrogate
 * pair), so a segment can end a unit short, as phones and carriers split them.
 */
function count(sizes: readonly number[], single: number, multi: number): number {
  let total = 0;
  for (const size of sizes) total += size;
  if (total === 0) return 0;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multi) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return segments;
}
