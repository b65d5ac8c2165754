// The advertiser account itself: its name, the currency its money is in, and its time zone (the
// day a stats row belongs to is a day in that zone).
import { GoogleAdsRejectedError } from './errors.ts';
import { searchAll } from './search.ts';
import type { CallOptions, GoogleAdsSession } from './session.ts';
import { idOf } from './values.ts';

export interface GoogleCustomer {
  id: string;
  /** descriptive_name; empty when the account has none. */
  name: string;
  /** ISO 4217, e.g. EUR. */
  currency: string;
  /** IANA, e.g. Europe/Paris. */
  timeZone: string;
}

export const CUSTOMER_QUERY =
  'SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone FROM customer';

export async function getCustomer(session: GoogleAdsSession, options: CallOptions = {}): Promise<GoogleCustomer> {
  const [row] = await searchAll(session, CUSTOMER_QUERY, options);
  const customer = row?.customer;
  if (!customer) throw new GoogleAdsRejectedError(`customer ${session.customerId} answered no row`);
  return {
    id: idOf(customer.id, 'customer.id'),
    name: typeof customer.descriptiveName === 'string' ? customer.descriptiveName : '',
    currency: typeof customer.currencyCode === 'string' ? customer.currencyCode : '',
    timeZone: typeof customer.timeZone === 'string' ? customer.timeZone : '',
  };
}
