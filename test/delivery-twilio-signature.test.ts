// X-Twilio-Signature, checked against the example in Twilio's documentation and code samples
// (twilio.com/docs/usage/webhooks/webhooks-security; TwilioDevEd/api-snippets,
// security/signature_validation): a forged or changed request is refused. And the local Twilio's
// webhooks carry what Twilio's do, signed so that the app's check passes.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioClient } from '../src/delivery/twilio-client.ts';
import { twilioSignature, verifyTwilioSignature } from '../src/delivery/twilio-signature.ts';
import { startTwilioServer, type TwilioServer } from './support/twilio-server.ts';

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

describe("the local Twilio's webhooks", () => {
  let twilio: TwilioServer;
  let app: Server;
  let appUrl: string;
  const posted: { url: string; headers: IncomingHttpHeaders; params: Record<string, string> }[] = [];
  beforeAll(async () => {
    twilio = await startTwilioServer();
    app = createServer((request, response) => {
      void (async () => {
        let body = '';
        for await (const chunk of request) body += chunk;
        posted.push({
          url: `${appUrl}${request.url}`,
          headers: request.headers,
          params: Object.fromEntries(new URLSearchParams(body)),
        });
        response.writeHead(204).end();
      })();
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await twilio.close();
    await new Promise((resolve) => app.close(resolve));
  });

  const client = () =>
    createTwilioClient({ baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, authToken: twilio.authToken });

  it('posts a status callback, signed so that the app can verify it', async () => {
    const callback = `${appUrl}/webhooks/twilio/status?tenant=t1`;
    const sent = await client().sendMessage({
      to: '+14155550123',
      from: '+14155550100',
      body: 'Hi',
      statusCallback: callback,
    });
    const answer = await twilio.deliverStatus(sent.sid, 'undelivered', { ErrorCode: '30003' });
    expect(answer.status).toBe(204);
    const [{ url, headers, params }] = posted.splice(0) as [(typeof posted)[number]];
    expect(url).toBe(callback);
    expect(params).toMatchObject({
      MessageSid: sent.sid,
      MessageStatus: 'undelivered',
      To: '+14155550123',
      From: '+14155550100',
      AccountSid: twilio.accountSid,
      ErrorCode: '30003',
    });
    const signature = headers['x-twilio-signature'] as string;
    expect(verifyTwilioSignature(twilio.authToken, url, params, signature)).toBe(true);
    expect(verifyTwilioSignature(`${twilio.authToken}x`, url, params, signature)).toBe(false);
    expect(verifyTwilioSignature(twilio.authToken, url, { ...params, MessageStatus: 'delivered' }, signature)).toBe(
      false,
    );
    // Handed to the carrier: it has a date_sent now.
    expect(twilio.messages[0]).toMatchObject({
      status: 'undelivered',
      error_code: 30003,
      date_sent: expect.any(String),
    });
  });

  it('posts an inbound message, signed, and keeps it as Twilio does', async () => {
    const inbound = `${appUrl}/webhooks/twilio/inbound`;
    await twilio.sendInbound(inbound, { From: '+14155550123', To: '+14155550100', Body: 'STOP' });
    const [{ headers, params }] = posted.splice(0) as [(typeof posted)[number]];
    expect(params).toMatchObject({ From: '+14155550123', To: '+14155550100', Body: 'STOP', SmsStatus: 'received' });
    expect(params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(verifyTwilioSignature(twilio.authToken, inbound, params, headers['x-twilio-signature'] as string)).toBe(
      true,
    );
    expect(twilio.messages.at(-1)).toMatchObject({ sid: params.MessageSid, direction: 'inbound', body: 'STOP' });
  });
});
