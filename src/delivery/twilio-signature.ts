// Twilio signs every webhook it sends (status callbacks, inbound messages) in X-Twilio-Signature:
// base64 of HMAC-SHA1, keyed with the account's auth token, over the full URL Twilio called (query
// string included) followed by each POST parameter's name and value, sorted by name, with no
// separators. A request whose signature does not match did not come from Twilio, or was changed.
// (twilio.com/docs/usage/webhooks/webhooks-security)
import { createHmac, timingSafeEqual } from 'node:crypto';

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const signed = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/** Whether `header` is the signature of this request; compared in constant time. */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  header: string | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
