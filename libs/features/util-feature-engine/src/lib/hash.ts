/** 32-bit FNV-1a over UTF-16 code units (fast, stable across processes). */
export function fnv1a32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 53-bit id hash (two FNV seeds) so event-id dedupe collisions are negligible while staying a plain number. */
export function idHash53(s: string): number {
  const a = fnv1a32(s);
  const b = fnv1a32(s, 0x9747b28c);
  return a * 0x200000 + (b & 0x1fffff);
}

/** Avalanche the 32-bit hash so KMV sees uniformly distributed values. */
export function distinctHash(s: string): number {
  let h = fnv1a32(s);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  h >>>= 0;
  // 0xffffffff is the codec's "no value" sentinel
  return h === 0xffffffff ? 0xfffffffe : h;
}

/** Insert into an ascending list of the k smallest distinct hashes (a KMV sketch). */
export function kmvInsert(list: number[], h: number, k: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < h) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] === h) return;
  if (lo >= k) return;
  list.splice(lo, 0, h);
  if (list.length > k) list.length = k;
}

/** Exact while fewer than k distinct values were seen; otherwise the KMV estimate (k-1)/U(k), relative error ~1/sqrt(k-2). */
export function kmvEstimate(list: readonly number[], k: number): number {
  if (list.length < k) return list.length;
  const u = (list[k - 1] + 1) / 4294967296;
  return Math.round((k - 1) / u);
}
