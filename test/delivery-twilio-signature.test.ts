// X-Twilio-Signature, checked against the example in Twilio's documentation and code samples
// (twilio.com/docs/usage/webhooks/webhooks-security; TwilioDevEd/api-snippets,
// security/signature_validation): a forged or changed request is refused.
import { describe, expect, it } from 'vitest';
import { twilioSignature, verifyTwilioSignature } from '../src/delivery/twilio-signature.ts';

const AUTH_TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675310',
  Digits: '1234',
  From: '+14158675310',
  To: '+18005551212',
};
const DOCUMENTED_SIGNATURE = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

describe('the Twilio request signature', () => {
  it("is the documented example's", () => {
    expect(twilioSignature(AUTH_TOKEN, URL, PARAMS)).toBe(DOCUMENTED_SIGNATURE);
    expect(verifyTwilioSignature(AUTH_TOKEN, URL, PARAMS, DOCUMENTED_SIGNATURE)).toBe(true);
  });

  it('sorts the parameters by name, whatever order they came in', () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(twilioSignature(AUTH_TOKEN, URL, reversed)).toBe(DOCUMENTED_SIGNATURE);
  });

  it('refuses a changed parameter, an added one, another URL, another token, and a missing or garbled header', () => {
    const verifies = (params: Record<string, string>, url = URL, token = AUTH_TOKEN, header = DOCUMENTED_SIGNATURE) =>
      verifyTwilioSignature(token, url, params, header);
    expect(verifies({ ...PARAMS, Digits: '1235' })).toBe(false);
    expect(verifies({ ...PARAMS, Extra: '' })).toBe(false);
    expect(verifies(PARAMS, 'https://mycompany.com/myapp.php?foo=1&bar=3')).toBe(false);
    expect(verifies(PARAMS, 'http://mycompany.com/myapp.php?foo=1&bar=2')).toBe(false);
    expect(verifies(PARAMS, URL, '12346')).toBe(false);
    expect(verifyTwilioSignature(AUTH_TOKEN, URL, PARAMS, undefined)).toBe(false);
    expect(verifies(PARAMS, URL, AUTH_TOKEN, '')).toBe(false);
    expect(verifies(PARAMS, URL, AUTH_TOKEN, 'GvWf1cFY')).toBe(false);
    expect(verifies(PARAMS, URL, AUTH_TOKEN, DOCUMENTED_SIGNATURE.replace('G', 'H'))).toBe(false);
  });
});
