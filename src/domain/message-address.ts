// Whether an address fits the channel a message goes on: an e-mail address, or a phone number in
// E.164 form (what Twilio takes and the suppression list stores). The senders contract takes the
// pattern and the words from here, so the API and the sending agree on what a phone number is.
import { z } from 'zod';

/** A phone number in E.164 form: +, a country code not starting with 0, 7 to 15 digits in all. */
export const E164 = /^\+[1-9][0-9]{6,14}$/;
/** What an address of each channel should be, as a validation message. */
export const EXPECTED_ADDRESS = {
  email: 'expects an e-mail address',
  sms: 'expects a phone number in E.164 form like +14155550100',
} as const;

/** What is wrong with `address` for the channel, or undefined when nothing is. */
export function addressProblem(channel: 'email' | 'sms', address: string): string | undefined {
  const valid = channel === 'email' ? z.email().safeParse(address).success : E164.test(address);
  return valid ? undefined : EXPECTED_ADDRESS[channel];
}

/** Spaces, dots, dashes and brackets people type in phone numbers: not part of the number. */
export const PHONE_PUNCTUATION = /[\s().-]/g;

/**
 * A contact's phone as Twilio takes it (E.164), from the number as it was typed or imported
 * ("+1 (415) 555-0100"); undefined when it is not an international number: without a country code
 * the country is a guess, and a guessed number can reach a stranger.
 */
export function smsNumber(phone: string | null): string | undefined {
  const number = phone?.replace(PHONE_PUNCTUATION, '');
  return number && E164.test(number) ? number : undefined;
}
