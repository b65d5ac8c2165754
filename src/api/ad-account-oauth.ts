// Connecting an ad account by consent (OAuth 2.0 authorization code) from the dashboard: start
// (an admin names the account; the answer is the platform's consent page, and an HttpOnly cookie
// binds the consent to this browser), and the callback the browser comes back to from the
// platform, which redirects to the dashboard's ad accounts page with the account connected or the
// reason in words. Codes and tokens never appear in a redirect or a log line.
import { z } from 'zod';
import type { ConsentTarget } from '../ads/oauth.ts';
import type { AdOAuthConfig } from '../ads/oauth-config.ts';
import { consentStart, consentStartBody } from '../contract/ad-account-oauth.ts';
import { AD_PLATFORMS } from '../contract/ad-accounts.ts';
import { InvalidInputError, UpstreamUnavailableError } from '../domain/errors.ts';
import {
  type AdOAuthDeps,
  ConsentRefusedError,
  completeAdAccountConsent,
  OAUTH_STATE_TTL_MS,
  oauthCallbackPath,
  startAdAccountConsent,
  tenantOfState,
} from '../services/ad-account-oauth.ts';
import type { AdAccountRouteDeps } from './ad-accounts.ts';
import { cookieOf, finishConsentRedirect, setConsentCookie } from './oauth-cookie.ts';
import type { ApiRouter, RouterDeps } from './router.ts';

export interface AdAccountOAuthRouteDeps extends AdAccountRouteDeps, Pick<RouterDeps, 'tenantDatabase'> {}

const platformParams = z.strictObject({ platform: z.enum(AD_PLATFORMS) });

export const callbackQuery = z.object({
  state: z.string().max(300).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(500).optional(),
  error_reason: z.string().max(200).optional(),
});

/** The cookie that binds a consent to the browser that started it, per platform. */
const cookieName = (platform: string) => `nightshift_oauth_${platform}`;

function targetOf(platform: ConsentTarget['platform'], body: z.output<typeof consentStartBody>): ConsentTarget {
  const missing = (field: string, message: string) => new InvalidInputError([{ field, in: 'body', message }]);
  if (platform === 'meta') {
    if (!body.ad_account_id) throw missing('ad_account_id', 'names the Meta ad account to connect');
    if (body.customer_id || body.login_customer_id) {
      throw missing('customer_id', 'is for Google Ads; a Meta account is named by ad_account_id');
    }
    return { platform, ad_account_id: body.ad_account_id };
  }
  if (!body.customer_id) throw missing('customer_id', 'names the Google Ads customer to connect');
  if (body.ad_account_id) throw missing('ad_account_id', 'is for Meta; a Google Ads account is named by customer_id');
  return { platform, customer_id: body.customer_id, login_customer_id: body.login_customer_id };
}

export function adAccountOAuthRoutes(api: ApiRouter, deps: AdAccountOAuthRouteDeps): void {
  const tag = 'Ad accounts';
  const oauthDeps = (): AdOAuthDeps => ({
    ...deps.adPlatforms,
    oauth: deps.adPlatforms.oauth ?? ({} satisfies AdOAuthConfig),
  });

  api.tenant(
    {
      method: 'post',
      path: '/api/ad-accounts/oauth/{platform}/start',
      tag,
      summary: 'Start connecting an ad account by consent (OAuth)',
      description:
        'Names the account (Meta: ad_account_id; Google Ads: customer_id and login_customer_id when reached through a manager) and answers the platform’s consent page. The state is single-use, expires in ten minutes, belongs to the tenant and the user, and is bound to this browser by an HttpOnly cookie; the platform sends the browser back to /api/ad-accounts/oauth/{platform}/callback. Answers 409 when the install has no app for the platform (see docs/ad-platforms.md).',
      access: 'admin',
      params: platformParams,
      body: consentStartBody,
      responses: { 201: { description: 'Where to send the browser', schema: consentStart } },
    },
    async ({ c, db, principal, params, body }) => {
      const started = await startAdAccountConsent(db, oauthDeps(), principal.tenantId, {
        target: targetOf(params.platform, body),
        settings: body.settings,
        startedBy: principal.userId,
        origin: new URL(c.req.url).origin,
      });
      // Secure when the browser comes back over HTTPS (the public URL's, behind a TLS proxy too).
      const secure = (deps.adPlatforms.oauth?.publicUrl ?? new URL(c.req.url).origin).startsWith('https:');
      setConsentCookie(c, {
        name: cookieName(params.platform),
        value: started.browserSecret,
        path: oauthCallbackPath(params.platform),
        maxAgeSeconds: OAUTH_STATE_TTL_MS / 1000,
        secure,
      });
      return c.json({ authorization_url: started.authorization_url, expires_at: started.expires_at }, 201);
    },
  );

  api.system(
    {
      method: 'get',
      path: '/api/ad-accounts/oauth/{platform}/callback',
      tag,
      summary: 'Where the platform sends the browser back after consent',
      description:
        'Checks the state (single-use, unexpired, of the tenant and browser that started it), exchanges the code at the platform’s token endpoint and connects the account. Redirects (303) to the dashboard: #/ad-accounts/connected/{id}, or #/ad-accounts/failed/{reason in words}. Takes no bearer token: the state and the cookie are the credentials.',
      access: 'public',
      params: platformParams,
      query: callbackQuery,
      responses: { 303: { description: 'To the dashboard’s ad accounts page' } },
    },
    async ({ c, params, query }) => {
      const base = deps.adPlatforms.oauth?.publicUrl ?? '';
      const cookie = { name: cookieName(params.platform), path: oauthCallbackPath(params.platform) };
      const finish = (fragment: string) => finishConsentRedirect(c, cookie, `${base}/#/ad-accounts/${fragment}`);
      const failed = (reason: string) => finish(`failed/${encodeURIComponent(reason.slice(0, 500))}`);
      const tenantId = query.state ? tenantOfState(query.state) : undefined;
      if (!query.state || !tenantId) return failed('the connection request is not valid: start connecting again');
      try {
        const account = await completeAdAccountConsent(deps.tenantDatabase(tenantId), oauthDeps(), tenantId, {
          platform: params.platform,
          state: query.state,
          code: query.code,
          error: query.error,
          errorDescription: query.error_description ?? query.error_reason,
          browserSecret: cookieOf(c.req.header('cookie'), cookieName(params.platform)),
        });
        return finish(`connected/${account.id}`);
      } catch (error) {
        if (error instanceof ConsentRefusedError) return failed(error.message);
        if (error instanceof UpstreamUnavailableError) {
          return failed(`${error.platform} could not be reached, try again later (${error.message})`);
        }
        throw error;
      }
    },
  );
}
