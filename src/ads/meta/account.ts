// The ad account: its name, and the currency and time zone every budget and insights day of it is in.
import { MetaRejectedError } from './errors.ts';
import { type CallOptions, graphCall, type MetaAnswer, type MetaSettings } from './http.ts';
import { adAccountNode, text } from './wire.ts';

export interface MetaAdAccount {
  /** `act_<digits>`, as Graph names it. */
  id: string;
  name: string;
  /** ISO 4217; its minor units (money.ts, metaCurrencyExponent) are what budgets are counted in. */
  currency: string;
  /** IANA name; insights days are days in this zone. */
  timezoneName: string;
  /** 1 active, 2 disabled, 3 unsettled, 7 pending risk review, 9 in grace period, 101 closed… */
  accountStatus: number;
}

/** GET /act_{id}?fields=name,currency,timezone_name,account_status */
export async function getAdAccount(
  settings: MetaSettings,
  accountId: string,
  options: CallOptions = {},
): Promise<MetaAnswer<MetaAdAccount>> {
  const node = adAccountNode(accountId);
  const fields = 'id,name,currency,timezone_name,account_status';
  const answer = await graphCall(settings, { method: 'GET', path: node, params: { fields }, signal: options.signal });
  const body = answer.value as Record<string, unknown>;
  const status = body.account_status;
  if (typeof status !== 'number') throw new MetaRejectedError('answered a malformed ad account (account_status)');
  return {
    value: {
      id: typeof body.id === 'string' && body.id ? body.id : node,
      name: text(body, 'name', 'ad account'),
      currency: text(body, 'currency', 'ad account'),
      timezoneName: text(body, 'timezone_name', 'ad account'),
      accountStatus: status,
    },
    usage: answer.usage,
  };
}
