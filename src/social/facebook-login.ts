// Facebook Login for publishing: one consent connects the Pages a person manages and the Instagram
// business accounts linked to them. The install's Meta app (the one the ad accounts use) asks for
// the publishing permissions; the code is exchanged for a long-lived user token
// (src/ads/meta/oauth.ts), which lists the Pages with their own tokens (GET /me/accounts). A Page
// token got from a long-lived user token does not expire; an Instagram business account posts
// with its Page's token (developers.facebook.com/docs/instagram-platform/content-publishing).
import { exchangeMetaCode, type MetaOAuthSettings, metaDialogUrl } from '../ads/meta/oauth.ts';
import { classifyGraph } from './graph-api.ts';
import { callOnce, withQuery } from './http.ts';

/**
 * Page posts, Instagram posts, and the reads they need: /me/accounts (pages_show_list) and the
 * Page's instagram_business_account (instagram_basic).
 */
export const FACEBOOK_PUBLISHING_SCOPES = [
  'pages_show_list',
  'pages_manage_posts',
  'pages_read_engagement',
  'instagram_basic',
  'instagram_content_publish',
] as const;

export type FacebookLoginSettings = MetaOAuthSettings & { timeoutMs: number };

export interface GrantedPage {
  id: string;
  name: string;
  accessToken: string;
  /** The Instagram business account linked to the Page, if any. */
  instagram?: { id: string; username: string | undefined };
}

export function facebookDialogUrl(settings: MetaOAuthSettings, request: { redirectUri: string; state: string }) {
  return metaDialogUrl(settings, request, FACEBOOK_PUBLISHING_SCOPES);
}

interface ListedPage {
  id?: unknown;
  name?: unknown;
  access_token?: unknown;
  instagram_business_account?: { id?: unknown; username?: unknown };
}

/** The first hundred Pages the person granted; a Page listed without a token cannot post and is left out. */
async function grantedPages(settings: FacebookLoginSettings, userToken: string): Promise<GrantedPage[]> {
  const url = `${settings.baseUrl.replace(/\/+$/, '')}/${settings.apiVersion}/me/accounts`;
  const fields = 'id,name,access_token,instagram_business_account{id,username}';
  const answer = await callOnce(
    { fetch: settings.fetch ?? fetch, timeoutMs: settings.timeoutMs },
    {
      platform: 'facebook',
      method: 'GET',
      url: withQuery(url, { fields, limit: '100' }),
      // In a header, not the URL, so the token stays out of proxy logs.
      headers: { authorization: `Bearer ${userToken}` },
      secret: userToken,
    },
    classifyGraph('facebook'),
  );
  const pages = (answer as { data?: ListedPage[] } | null)?.data ?? [];
  return pages.flatMap((page) => {
    if (typeof page.id !== 'string' || typeof page.access_token !== 'string' || !page.access_token) return [];
    const ig = page.instagram_business_account;
    return [
      {
        id: page.id,
        name: typeof page.name === 'string' ? page.name : page.id,
        accessToken: page.access_token,
        ...(typeof ig?.id === 'string'
          ? { instagram: { id: ig.id, username: typeof ig.username === 'string' ? ig.username : undefined } }
          : {}),
      },
    ];
  });
}

/** The code the dialog sent back, turned into the Pages (with their Instagram accounts) to connect. */
export async function pagesFromConsent(
  settings: FacebookLoginSettings,
  exchange: { code: string; redirectUri: string },
): Promise<GrantedPage[]> {
  const grant = await exchangeMetaCode(settings, exchange);
  return grantedPages(settings, grant.accessToken);
}
