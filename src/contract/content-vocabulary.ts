// What a content asset and a variant can be, and can stand at: plain lists (no zod), so the
// dashboard's content section takes them as values.

/** The kinds of content asset a campaign step can be (content_assets.asset_type's CHECK). */
export const ASSET_TYPES = ['email', 'sms', 'voice', 'social_post', 'landing_page', 'ad'] as const;
export const ASSET_STATUSES = ['active', 'archived'] as const;
export const VARIANT_STATUSES = ['active', 'killed'] as const;

export type AssetType = (typeof ASSET_TYPES)[number];

export type CopyField = 'subject' | 'body' | 'sms_copy' | 'voice_script' | 'social_post';

/** The variant fields a step of each kind cannot go out without (and the content editor shows). */
export const REQUIRED_COPY: Record<AssetType, readonly CopyField[]> = {
  email: ['subject', 'body'],
  sms: ['sms_copy'],
  voice: ['voice_script'],
  social_post: ['social_post'],
  landing_page: ['body'],
  ad: ['body'],
};
