// Social accounts (Facebook Pages, Instagram business accounts, X): the list with each account's
// status, connecting and reconnecting by consent (start, and the callback the provider sends the
// browser back to, which redirects to the dashboard's social page with the outcome in words), and
// disconnecting. Codes and tokens never appear in a redirect, an answer or a log line.
import { z } from 'zod';
import { consentStart } from '../contract/ad-account-oauth.ts';
import { SOCIAL_PROVIDERS, type SocialProvider, socialAccountList } from '../contract/social-accounts.ts';
import { UpstreamUnavailableError } from '../domain/errors.ts';
import { ConsentRefusedError, OAUTH_STATE_TTL_MS, tenantOfState } from '../services/oauth-consent.ts';
import {
  completeSocialConsent,
  configuredProviders,
  disconnectSocialAccount,
  listSocialAccounts,
  type SocialConnectDeps,
  socialCallbackPath,
  startSocialConsent,
} from '../services/social-accounts.ts';
import { callbackQuery } from './ad-account-oauth.ts';
import { cookieOf, finishConsentRedirect, setConsentCookie } from './oauth-cookie.ts';
import type { ApiRouter, RouterDeps } from './router.ts';
import { idParams } from './schemas.ts';

export interface SocialAccountRouteDeps extends Pick<RouterDeps, 'tenantDatabase'> {
  social: SocialConnectDeps;
}

const providerParams = z.strictObject({ provider: z.enum(SOCIAL_PROVIDERS) });

const cookieOfProvider = (provider: SocialProvider) => ({
  name: `nightshift_social_${provider}`,
  path: socialCallbackPath(provider),
});

export function socialAccountRoutes(api: ApiRouter, deps: SocialAccountRouteDeps): void {
  const tag = 'Social accounts';

  api.tenant(
    {
      method: 'get',
      path: '/api/social-accounts',
      tag,
      summary: 'List connected social accounts with their status',
      description:
        'Every Facebook Page, Instagram business account and X account of the workspace: connected, or needs_reconnect with the platform’s words in status_reason (the dispatcher sets it when a token is refused). providers names the ones this install can connect.',
      access: 'viewer',
      responses: { 200: { description: 'The accounts', schema: socialAccountList } },
    },
    async ({ c, db, principal }) =>
      c.json({
        data: await listSocialAccounts(db, principal.tenantId),
        providers: configuredProviders(deps.social),
      }),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/social-accounts/oauth/{provider}/start',
      tag,
      summary: 'Start connecting (or reconnecting) social accounts by consent',
      description:
        'facebook: Facebook Login with the publishing permissions; every Page granted is connected with its Instagram business account. x: X’s OAuth 2.0 with PKCE (tweet.write, offline.access). Reconnecting is the same consent again. The state is single-use, expires in ten minutes and is bound to this browser by an HttpOnly cookie. Answers 409 when the install has no app for the provider.',
      access: 'admin',
      params: providerParams,
      responses: { 201: { description: 'Where to send the browser', schema: consentStart } },
    },
    async ({ c, db, principal, params }) => {
      const started = await startSocialConsent(db, deps.social, principal.tenantId, {
        provider: params.provider,
        startedBy: principal.userId,
        origin: new URL(c.req.url).origin,
      });
      setConsentCookie(c, {
        ...cookieOfProvider(params.provider),
        value: started.browserSecret,
        maxAgeSeconds: OAUTH_STATE_TTL_MS / 1000,
        secure: (deps.social.publicUrl ?? new URL(c.req.url).origin).startsWith('https:'),
      });
      return c.json({ authorization_url: started.authorization_url, expires_at: started.expires_at }, 201);
    },
  );

  api.system(
    {
      method: 'get',
      path: '/api/social-accounts/oauth/{provider}/callback',
      tag,
      summary: 'Where the provider sends the browser back after consent',
      description:
        'Checks the state, exchanges the code and connects the accounts. Redirects (303) to the dashboard: #/social/connected/{count}, or #/social/failed/{reason in words}. Takes no bearer token: the state and the cookie are the credentials.',
      access: 'public',
      params: providerParams,
      query: callbackQuery,
      responses: { 303: { description: 'To the dashboard’s social page' } },
    },
    async ({ c, params, query }) => {
      const base = deps.social.publicUrl ?? '';
      const cookie = cookieOfProvider(params.provider);
      const finish = (fragment: string) => finishConsentRedirect(c, cookie, `${base}/#/social/${fragment}`);
      const failed = (reason: string) => finish(`failed/${encodeURIComponent(reason.slice(0, 500))}`);
      const tenantId = query.state ? tenantOfState(query.state) : undefined;
      if (!query.state || !tenantId) return failed('the connection request is not valid: start connecting again');
      try {
        const ids = await completeSocialConsent(deps.tenantDatabase(tenantId), deps.social, tenantId, {
          provider: params.provider,
          state: query.state,
          code: query.code,
          error: query.error,
          errorDescription: query.error_description ?? query.error_reason,
          browserSecret: cookieOf(c.req.header('cookie'), cookie.name),
        });
        return finish(`connected/${ids.length}`);
      } catch (error) {
        if (error instanceof ConsentRefusedError) return failed(error.message);
        if (error instanceof UpstreamUnavailableError) {
          return failed(`${error.platform} could not be reached, try again later (${error.message})`);
        }
        throw error;
      }
    },
  );

  api.tenant(
    {
      method: 'delete',
      path: '/api/social-accounts/{id}',
      tag,
      summary: 'Disconnect a social account',
      description:
        'Forgets the account and its tokens: posts to its platform fail until an account is connected again.',
      access: 'admin',
      params: idParams,
      responses: { 204: { description: 'Disconnected' } },
    },
    async ({ c, db, principal, params }) => {
      await disconnectSocialAccount(db, deps.social, principal.tenantId, params.id);
      return c.body(null, 204);
    },
  );
}
