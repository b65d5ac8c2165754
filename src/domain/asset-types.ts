// The kinds of content asset a campaign step can be (content_assets.asset_type's CHECK), and the
// variant fields that carry each kind's copy: the contract's plain lists, which the dashboard's
// content editor takes too.
export { ASSET_TYPES, type AssetType, REQUIRED_COPY } from '../contract/content-vocabulary.ts';
