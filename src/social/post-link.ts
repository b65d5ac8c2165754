// The link of a post: the campaign's call-to-action URL with UTM parameters, so the visits a post
// brings show up in analytics by platform, campaign and content.
import type { Platform } from './platform.ts';

export interface PostUtm {
  medium?: string | null;
  campaign?: string | null;
  content?: string | null;
}

/**
 * utm_source per platform. X is tagged `x`, the name it goes by (and the one the product shows),
 * rather than the legacy `twitter` its database key keeps; a link that already names a source
 * keeps it (see postLink).
 */
export const UTM_SOURCES: Record<Platform, string> = { facebook: 'facebook', instagram: 'instagram', twitter: 'x' };

/**
 * `ctaUrl` with utm_source, utm_medium, utm_campaign and utm_content added. The query already on
 * the link is kept byte for byte (re-serialising it could change its encoding), and a parameter it
 * already has is not added again: whoever wrote the link chose that value. Empty values are left
 * out. A link that is not an absolute http(s) URL is used as written.
 */
export function postLink(ctaUrl: string | null | undefined, platform: Platform, utm: PostUtm = {}): string | undefined {
  const link = ctaUrl?.trim();
  if (!link) return undefined;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return link;
  const wanted: [string, string | null | undefined][] = [
    ['utm_source', UTM_SOURCES[platform]],
    ['utm_medium', utm.medium],
    ['utm_campaign', utm.campaign],
    ['utm_content', utm.content],
  ];
  const added = new URLSearchParams();
  for (const [name, value] of wanted) {
    if (value?.trim() && !url.searchParams.has(name)) added.append(name, value.trim());
  }
  if (added.size === 0) return link;
  const query = url.search.replace(/^\?/, '');
  url.search = query ? `${query}&${added}` : `${added}`;
  return url.href;
}
