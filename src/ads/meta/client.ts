// The Meta Marketing API client: the calls of src/ads/meta bound to one base URL, API version and
// token. Every call is one attempt per HTTP request (retries and backoff are the caller's), answers
// its value with the usage headers Meta sent, and fails only with a MetaApiError (errors.ts).
import { getAdAccount, type MetaAdAccount } from './account.ts';
import { type MetaChange, type MetaObjectState, readObjectState, type UpdateOptions, updateObject } from './changes.ts';
import { MetaRejectedError } from './errors.ts';
import type { CallOptions, MetaAnswer, MetaSettings } from './http.ts';
import { type InsightsQuery, insightPages, type MetaInsightRow } from './insights.ts';
import type { ListOptions } from './paging.ts';
import { listAdSets, listCampaigns, type MetaAdSet, type MetaCampaign } from './structure.ts';

export interface MetaAdsClient {
  getAdAccount(accountId: string, options?: CallOptions): Promise<MetaAnswer<MetaAdAccount>>;
  listCampaigns(accountId: string, options?: ListOptions): Promise<MetaAnswer<MetaCampaign[]>>;
  listAdSets(accountId: string, options?: ListOptions): Promise<MetaAnswer<MetaAdSet[]>>;
  /** A page at a time, as Meta answers them: a caller stores one page while the next is read. */
  insightPages(
    accountId: string,
    query: InsightsQuery,
    options?: ListOptions,
  ): AsyncIterable<MetaAnswer<MetaInsightRow[]>>;
  readObjectState(id: string, options?: CallOptions): Promise<MetaAnswer<MetaObjectState>>;
  updateObject(id: string, change: MetaChange, options?: UpdateOptions): Promise<MetaAnswer<true>>;
}

function checkSettings(settings: MetaSettings): void {
  if (!/^https?:\/\/[^/]+/i.test(settings.baseUrl)) {
    throw new MetaRejectedError(`a base URL of "${settings.baseUrl}": an http(s) URL, e.g. https://graph.facebook.com`);
  }
  if (!/^v\d+\.\d+$/.test(settings.apiVersion)) {
    throw new MetaRejectedError(`an API version of "${settings.apiVersion}": e.g. v21.0`);
  }
  // Meta's tokens run to a hundred characters and more. A short one would also be found inside
  // ordinary words of an answer ("tok" in access_token), where scrubbing it would mangle them.
  if (typeof settings.accessToken !== 'string' || !/^\S{16,}$/.test(settings.accessToken)) {
    throw new MetaRejectedError('an access token that cannot be one: at least 16 characters, no spaces');
  }
  if (settings.timeoutMs !== undefined && !(settings.timeoutMs > 0)) {
    throw new MetaRejectedError(`a timeout of ${settings.timeoutMs} ms`);
  }
}

/** Throws MetaRejectedError on settings that cannot work (no token, a base URL or version of the wrong shape). */
export function createMetaAdsClient(settings: MetaSettings): MetaAdsClient {
  checkSettings(settings);
  const fixed = { ...settings };
  return {
    getAdAccount: (accountId, options) => getAdAccount(fixed, accountId, options),
    listCampaigns: (accountId, options) => listCampaigns(fixed, accountId, options),
    listAdSets: (accountId, options) => listAdSets(fixed, accountId, options),
    insightPages: (accountId, query, options) => insightPages(fixed, accountId, query, options),
    readObjectState: (id, options) => readObjectState(fixed, id, options),
    updateObject: (id, change, options) => updateObject(fixed, id, change, options),
  };
}
