// What a content asset and a variant can be, and can stand at: plain lists (no zod), so the
// dashboard's content section takes them as values.

/** The kinds of content asset a campaign step can be (content_assets.asset_type's CHECK). */
export const ASSET_TYPES = ['email', 'sms', 'voice', 'social_post', 'landing_page', 'ad'] as const;
export const ASSET_STATUSES = ['active', 'archived'] as const;
export const VARIANT_STATUSES = ['active', 'killed'] as const;

export type AssetType = (typeof ASSET_TYPES)[number];
