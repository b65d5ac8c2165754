// The public addresses a message carries: its open pixel, its click links, its unsubscribe page
// (also the RFC 8058 one-click target), and where Twilio reports an SMS's status. Each tracking
// address holds a signed token naming the tenant, the message and what it is for, so the public
// routes (src/server/tracking-routes.ts) need no lookup to trust it and cannot be pointed elsewhere.
import { signToken } from './tracking-token.ts';

/** A click or open link keeps working this long after the send; then it answers that it expired. */
export const TRACKING_LINK_DAYS = 180;
/**
 * An unsubscribe link keeps working for a year: far past the 30 days US CAN-SPAM requires, as
 * people unsubscribe from old mail too.
 */
export const UNSUBSCRIBE_LINK_DAYS = 365;

const DAY_MS = 86_400_000;

export interface LinkSettings {
  /** Where people reach this install (NIGHTSHIFT_PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
  /** The tracking key (trackingKey of the encryption key). */
  key: Buffer;
  /** False turns the open pixel and click rewriting off (the sender's setting). */
  trackOpens: boolean;
  trackClicks: boolean;
}

export interface MessageLinks {
  openPixelUrl: string | undefined;
  click: ((url: string, index: number) => string) | undefined;
  unsubscribeUrl: string;
}

export function messageLinks(settings: LinkSettings, tenantId: string, messageId: string, now: Date): MessageLinks {
  const until = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const token = (kind: 'open' | 'click' | 'unsubscribe', days: number, link?: number) =>
    signToken(settings.key, { kind, tenantId, messageId, ...(link === undefined ? {} : { link }) }, until(days));
  return {
    openPixelUrl: settings.trackOpens ? `${settings.publicUrl}/t/o/${token('open', TRACKING_LINK_DAYS)}` : undefined,
    click: settings.trackClicks
      ? (_url, index) => `${settings.publicUrl}/t/c/${token('click', TRACKING_LINK_DAYS, index)}`
      : undefined,
    unsubscribeUrl: `${settings.publicUrl}/u/${token('unsubscribe', UNSUBSCRIBE_LINK_DAYS)}`,
  };
}

/**
 * Where Twilio reports an SMS's status (signed with the auth token, over the whole URL, query
 * included). It names our message: a report can arrive before the worker has written Twilio's SID
 * down, and must still find its message.
 */
export const twilioStatusUrl = (publicUrl: string, tenantId: string, messageId: string) =>
  `${publicUrl}/hooks/twilio/status/${tenantId}?message=${messageId}`;
