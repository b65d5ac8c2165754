// Whether an address fits the channel a message goes on: an e-mail address, or a phone number in
// E.164 form (what Twilio takes and the suppression list stores).
import { z } from 'zod';

const E164 = /^\+[1-9][0-9]{6,14}$/;
const EXPECTED = {
  email: 'expects an e-mail address',
  sms: 'expects a phone number in E.164 form like +14155550100',
} as const;

/** What is wrong with `address` for the channel, or undefined when nothing is. */
export function addressProblem(channel: 'email' | 'sms', address: string): string | undefined {
  const valid = channel === 'email' ? z.email().safeParse(address).success : E164.test(address);
  return valid ? undefined : EXPECTED[channel];
}
