// Connected social accounts: what the list answers, and the providers a consent connects through
// (Facebook Login connects Pages and their Instagram business accounts; X connects one X account).
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';
import { SOCIAL_PLATFORMS } from './social-post-vocabulary.ts';

export const SOCIAL_PROVIDERS = ['facebook', 'x'] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];

export const socialAccountRecord = z.object({
  id: uuid,
  platform: z.enum(SOCIAL_PLATFORMS),
  /** The Page's name, @username on Instagram and X. */
  name: z.string(),
  external_account_id: z.string(),
  /** connected: posts go out with it; needs_reconnect: the platform refused its token (status_reason says how). */
  status: z.enum(['connected', 'needs_reconnect', 'disconnected']),
  status_reason: z.string().nullable(),
  /** The provider to consent with again to reconnect it. */
  provider: z.enum(SOCIAL_PROVIDERS),
  token_expires_at: timestamp.nullable(),
  connected_at: timestamp,
});
export type SocialAccountRecord = z.infer<typeof socialAccountRecord>;

export const socialAccountList = z.object({
  data: z.array(socialAccountRecord),
  /** The providers this install has an app for: the others cannot be connected (see docs/ad-platforms.md). */
  providers: z.array(z.enum(SOCIAL_PROVIDERS)),
});
