import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface UiAsset {
  body: string;
  contentType: string;
}

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

const cache = new Map<string, UiAsset>();

/** The registry UI: static HTML/CSS/vanilla JS, no build step. Unknown names return null (a 404 upstream). */
export function getUiAsset(name: string): UiAsset | null {
  const contentType = TYPES[name];
  if (!contentType) return null;
  let asset = cache.get(name);
  if (!asset) {
    asset = { body: readFileSync(join(__dirname, 'assets', name), 'utf8'), contentType };
    cache.set(name, asset);
  }
  return asset;
}

export const UI_ASSET_NAMES = Object.keys(TYPES);
