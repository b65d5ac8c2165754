// The kinds of content asset a campaign step can be (the contract's list, content_assets.asset_type's
// CHECK), and the variant field that carries each kind's copy.
import type { AssetType } from '../contract/content-vocabulary.ts';

export { ASSET_TYPES, type AssetType } from '../contract/content-vocabulary.ts';

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
