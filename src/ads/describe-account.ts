// Testing a connection: the account the credentials reach, as the platform names and denominates
// it, or the platform's refusal in its own words. One call, with the configured timeout.
import { googleAdsClientFor, metaClientFor, platformFailureInWords } from './clients.ts';
import type { AdCredentials } from './credentials.ts';
import type { AdPlatformEndpoints } from './endpoints.ts';

export interface AccountDescription {
  externalAccountId: string;
  name: string;
  currency: string;
  timeZone: string | null;
}

export async function describeAdAccount(
  endpoints: AdPlatformEndpoints,
  credentials: AdCredentials,
): Promise<AccountDescription> {
  try {
    if (credentials.platform === 'meta') {
      const { value } = await metaClientFor(endpoints, credentials).getAdAccount(credentials.ad_account_id);
      return {
        externalAccountId: credentials.ad_account_id,
        name: value.name,
        currency: value.currency,
        timeZone: value.timezoneName,
      };
    }
    const customer = await googleAdsClientFor(endpoints, credentials).getCustomer();
    return {
      externalAccountId: credentials.customer_id,
      name: customer.name,
      currency: customer.currency,
      timeZone: customer.timeZone,
    };
  } catch (error) {
    throw platformFailureInWords(error);
  }
}
