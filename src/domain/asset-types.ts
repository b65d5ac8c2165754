// The kinds of content asset a campaign step can be (content_assets.asset_type's CHECK), and the
// variant field that carries each kind's copy.

export const ASSET_TYPES = ['email', 'sms', 'voice', 'social_post', 'landing_page', 'ad'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** The variant fields a step of each kind cannot go out without. */
export const REQUIRED_COPY: Record<
  AssetType,
  readonly ('subject' | 'body' | 'sms_copy' | 'voice_script' | 'social_post')[]
> = {
  email: ['subject', 'body'],
  sms: ['sms_copy'],
  voice: ['voice_script'],
  social_post: ['social_post'],
  landing_page: ['body'],
  ad: ['body'],
};
