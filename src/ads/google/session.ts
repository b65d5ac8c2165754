// Calls on behalf of one connected account: its access token (from the cache, refreshed when
// due), the headers, the customer's URL, one attempt under the timeout. When Google refuses the
// credentials, the cached access token is dropped so that the caller's next attempt gets a fresh
// one; whether to make that attempt is the caller's choice.
import { GoogleAdsAuthError, GoogleAdsError, GoogleAdsUnavailableError } from './errors.ts';
import { failureError, parseStatus } from './failure.ts';
import { customerIdOf } from './gaql.ts';
import { googleAdsHeaders } from './headers.ts';
import { type Answer, readJson, redact, send } from './http.ts';
import { jsonArrayElements } from './json-array-stream.ts';
import type { AccessTokenCache } from './oauth.ts';
import { apiUrl, type GoogleAdsSettings, installSecrets } from './settings.ts';

export interface GoogleAdsAccount {
  /** The refresh token the authorization-code exchange gave for this account. */
  refreshToken: string;
  /** The advertiser's customer id (dashes allowed). */
  customerId: string;
  /** The manager account the user reaches it through, when it is reached that way. */
  loginCustomerId?: string | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Overrides the settings' timeout for this call (a long stats read). */
  timeoutMs?: number | undefined;
}

export class GoogleAdsSession {
  readonly customerId: string;
  private readonly loginCustomerId: string | undefined;
  private readonly settings: GoogleAdsSettings;
  private readonly tokens: AccessTokenCache;
  private readonly account: GoogleAdsAccount;

  constructor(settings: GoogleAdsSettings, tokens: AccessTokenCache, account: GoogleAdsAccount) {
    this.settings = settings;
    this.tokens = tokens;
    this.account = account;
    this.customerId = customerIdOf(account.customerId);
    this.loginCustomerId = account.loginCustomerId ? customerIdOf(account.loginCustomerId) : undefined;
  }

  private async call(method: string, body: unknown, options: CallOptions): Promise<Answer & { secrets: string[] }> {
    const { refreshToken } = this.account;
    const accessToken = await this.tokens.get(refreshToken, options);
    const secrets = [...installSecrets(this.settings), refreshToken, accessToken];
    try {
      const answer = await send(
        {
          url: apiUrl(this.settings, this.customerId, method),
          headers: googleAdsHeaders({
            accessToken,
            developerToken: this.settings.developerToken,
            loginCustomerId: this.loginCustomerId,
          }),
          body: JSON.stringify(body),
          secrets,
          timeoutMs: options.timeoutMs ?? this.settings.timeoutMs,
          signal: options.signal,
        },
        this.settings.fetch,
      );
      return { ...answer, secrets };
    } catch (error) {
      if (error instanceof GoogleAdsAuthError) this.tokens.forget(refreshToken, accessToken);
      throw error;
    }
  }

  /** POST customers/{id}/{method}: the parsed answer. */
  async post(method: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    return readJson(await this.call(method, body, options));
  }

  /**
   * POST customers/{id}/{method} answered as a JSON array (searchStream): each element as it
   * arrives. An element that is an error (a stream that failed after it started) throws it.
   */
  async *stream(method: string, body: unknown, options: CallOptions = {}): AsyncGenerator<Record<string, unknown>> {
    const answer = await this.call(method, body, options);
    if (!answer.response.body) return;
    try {
      for await (const element of jsonArrayElements(answer.response.body)) {
        if (typeof element !== 'object' || element === null) continue;
        const batch = element as Record<string, unknown>;
        if (batch.error)
          throw failureError(parseStatus(JSON.parse(redact(JSON.stringify(batch.error), answer.secrets))));
        yield batch;
      }
    } catch (error) {
      if (error instanceof GoogleAdsAuthError) this.tokens.forget(this.account.refreshToken);
      if (error instanceof GoogleAdsError) throw error;
      if (error instanceof SyntaxError) {
        throw new GoogleAdsUnavailableError('answered a stream that is not JSON or was cut off', { cause: error });
      }
      throw answer.broken(error);
    }
  }
}
