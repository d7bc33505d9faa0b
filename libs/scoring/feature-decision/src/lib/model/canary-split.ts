/** FNV-1a 32-bit: stable across processes and restarts, so a checkout always lands in the same arm. */
export function stableBucket(id: string, buckets = 10_000): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/** True when this checkout belongs to the canary arm at `percent` (0-100, two decimals of resolution). */
export function inCanary(checkoutId: string, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  return stableBucket(checkoutId) < Math.round(percent * 100);
}
