// The headers every Google Ads API call carries: the user's access token, the install's developer
// token, and, when the account is reached through a manager account, that manager's id.
export interface AdsCredentials {
  accessToken: string;
  developerToken: string;
  /** The manager account the user reaches the customer through; digits only. */
  loginCustomerId?: string | undefined;
}

export function googleAdsHeaders(credentials: AdsCredentials): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${credentials.accessToken}`,
    'developer-token': credentials.developerToken,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (credentials.loginCustomerId) headers['login-customer-id'] = credentials.loginCustomerId;
  return headers;
}
