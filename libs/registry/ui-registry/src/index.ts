export { getUiAsset, UI_ASSET_NAMES } from './lib/ui-assets';
export type { UiAsset } from './lib/ui-assets';
