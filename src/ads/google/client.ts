// The Google Ads client: connecting an account (the consent URL, the code exchange) and, for a
// connected account, reading its customer, campaigns and daily stats and pushing status and
// budget changes. One attempt per call; retries, backoff and reconnect prompts are the caller's,
// decided by the error's class (errors.ts).
import { listCampaigns, readBudgets, readCampaigns } from './campaigns.ts';
import { getCustomer } from './customer.ts';
import {
  type BudgetAmountChange,
  type CampaignStatusChange,
  type MutateOptions,
  setBudgetAmounts,
  setCampaignStatuses,
} from './mutate.ts';
import {
  AccessTokenCache,
  type AuthorizationRequest,
  authorizationUrl,
  type CodeExchange,
  exchangeAuthorizationCode,
  type TokenCallOptions,
  type TokenGrant,
} from './oauth.ts';
import { type CallOptions, type GoogleAdsAccount, GoogleAdsSession } from './session.ts';
import { type GoogleAdsConfig, googleAdsSettings } from './settings.ts';
import { type DateRange, dailyStats, streamDailyStats } from './stats.ts';

export function createGoogleAdsClient(config: GoogleAdsConfig) {
  const settings = googleAdsSettings(config);
  const tokens = new AccessTokenCache(settings);
  return {
    /** The Google consent page to send the user to. */
    authorizationUrl: (request: AuthorizationRequest) => authorizationUrl(settings, request),
    /** The code Google sent back, exchanged for the refresh token to keep; its access token is cached. */
    async exchangeCode(exchange: CodeExchange, options: TokenCallOptions = {}): Promise<TokenGrant> {
      const grant = await exchangeAuthorizationCode(settings, exchange, options);
      tokens.put(grant.refreshToken, grant);
      return grant;
    },
    /** An access token for this refresh token, cached until shortly before it expires. */
    accessToken: (refreshToken: string, options: TokenCallOptions = {}) => tokens.get(refreshToken, options),
    /** Calls on behalf of one connected account. */
    account(account: GoogleAdsAccount) {
      const session = new GoogleAdsSession(settings, tokens, account);
      return {
        customerId: session.customerId,
        getCustomer: (options?: CallOptions) => getCustomer(session, options),
        listCampaigns: (options?: CallOptions) => listCampaigns(session, options),
        readCampaigns: (campaignIds: readonly string[], options?: CallOptions) =>
          readCampaigns(session, campaignIds, options),
        readBudgets: (budgetIds: readonly string[], options?: CallOptions) => readBudgets(session, budgetIds, options),
        dailyStats: (range: DateRange, options?: CallOptions) => dailyStats(session, range, options),
        streamDailyStats: (range: DateRange, options?: CallOptions) => streamDailyStats(session, range, options),
        setCampaignStatuses: (changes: readonly CampaignStatusChange[], options?: MutateOptions) =>
          setCampaignStatuses(session, changes, options),
        setBudgetAmounts: (changes: readonly BudgetAmountChange[], options?: MutateOptions) =>
          setBudgetAmounts(session, changes, options),
      };
    },
  };
}

export type GoogleAdsClient = ReturnType<typeof createGoogleAdsClient>;
export type GoogleAdsAccountClient = ReturnType<GoogleAdsClient['account']>;
