import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import {
  handbookColumnIndex,
  handbookFeatureSet,
  HandbookReplay,
  parseHandbookRow,
  type HandbookColumnIndex,
  type HandbookRawRow,
} from '@risk/feature-sets';
import { ValidationError } from '@risk/util-errors';
import type { HandbookFrame } from './handbook-frame';

export const HANDBOOK_FEATURE_SET = { name: handbookFeatureSet.name, version: handbookFeatureSet.version };

/**
 * Incremental featurizer over the feature engine's batch mode (`HandbookReplay`: the same point-in-time code
 * the online path uses; labels replayed at tx time + 7 days). Rows must arrive in time order.
 */
export class HandbookFeaturizer {
  private readonly width = handbookFeatureSet.featureNames.length;
  private X = new Float32Array(1 << 16);
  private ids = new Float64Array(1 << 12);
  private customers = new Int32Array(1 << 12);
  private days = new Int32Array(1 << 12);
  private times = new Float64Array(1 << 12);
  private fraud = new Uint8Array(1 << 12);
  private n = 0;
  /** Replay emits rows in input order, so the k-th emitted row is the k-th pushed row. */
  private emitted = 0;
  private readonly replay: HandbookReplay;

  constructor() {
    this.replay = new HandbookReplay((_id, row) => {
      const o = this.emitted++ * this.width;
      for (let j = 0; j < this.width; j++) this.X[o + j] = row.values[j];
    });
  }

  get rows(): number {
    return this.n;
  }

  push(row: HandbookRawRow): void {
    const i = this.n++;
    this.ensure(this.n);
    this.ids[i] = Number(row.transactionId);
    this.customers[i] = Number(row.customerId);
    this.days[i] = Math.floor(row.time / 86_400_000);
    this.times[i] = row.time;
    this.fraud[i] = row.fraud ? 1 : 0;
    this.replay.push(row);
  }

  finish(): HandbookFrame {
    this.replay.finish();
    return {
      n: this.n,
      transactionId: this.ids.slice(0, this.n),
      customerId: this.customers.slice(0, this.n),
      day: this.days.slice(0, this.n),
      fraud: this.fraud.slice(0, this.n),
      timeMs: this.times.slice(0, this.n),
      featureNames: [...handbookFeatureSet.featureNames],
      X: this.X.slice(0, this.n * this.width),
    };
  }

  private ensure(rows: number): void {
    if (rows > this.ids.length) {
      const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.ids = grow(this.ids, (k) => new Float64Array(k));
      this.customers = grow(this.customers, (k) => new Int32Array(k));
      this.days = grow(this.days, (k) => new Int32Array(k));
      this.fraud = grow(this.fraud, (k) => new Uint8Array(k));
      this.times = grow(this.times, (k) => new Float64Array(k));
    }
    if (rows * this.width > this.X.length) {
      const b = new Float32Array(Math.max(this.X.length * 2, rows * this.width));
      b.set(this.X);
      this.X = b;
    }
  }
}

/** Features of a raw handbook CSV (rows must be in TX_DATETIME order, as both the published and simulated files are). */
export async function featurizeHandbookCsv(path: string, onRows?: (rows: number) => void): Promise<HandbookFrame> {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  const fz = new HandbookFeaturizer();
  let idx: HandbookColumnIndex | undefined;
  let line = 0;
  for await (const text of rl) {
    line++;
    if (!text) continue;
    const fields = text.split(',');
    if (!idx) {
      idx = handbookColumnIndex(fields.map((h) => h.trim().replace(/^"|"$/g, '')));
      continue;
    }
    fz.push(parseHandbookRow(fields, idx, line));
    if (onRows && fz.rows % 100_000 === 0) onRows(fz.rows);
  }
  if (!idx) throw new ValidationError('raw handbook CSV is empty', [], 'HANDBOOK_CSV_EMPTY');
  return fz.finish();
}

const CACHE_MAGIC = 'handbook-frame-v2';

/** Binary cache of a featured frame, keyed by the source file's size and mtime and the feature-set version. */
export function frameCacheKey(csvPath: string): string {
  const st = statSync(csvPath);
  return `${CACHE_MAGIC}:${handbookFeatureSet.name}@${handbookFeatureSet.version}:${st.size}:${st.mtimeMs}`;
}

export function writeFrameCache(cachePath: string, key: string, f: HandbookFrame): void {
  mkdirSync(dirname(cachePath), { recursive: true });
  const header = Buffer.from(JSON.stringify({ key, n: f.n, featureNames: f.featureNames }));
  const timeMs = f.timeMs ?? Float64Array.from(f.day, (d) => d * 86_400_000);
  const parts = [f.transactionId, timeMs, f.customerId, f.day, f.fraud, f.X].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  writeFileSync(cachePath, Buffer.concat([len, header, ...parts]));
}

export function readFrameCache(cachePath: string, key: string): HandbookFrame | undefined {
  if (!existsSync(cachePath)) return undefined;
  const buf = readFileSync(cachePath);
  const hl = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + hl).toString()) as { key: string; n: number; featureNames: string[] };
  if (header.key !== key) return undefined;
  let o = 4 + hl;
  const take = <T>(bytes: number, make: (b: ArrayBuffer) => T): T => {
    const copy = new ArrayBuffer(bytes);
    new Uint8Array(copy).set(buf.subarray(o, o + bytes));
    o += bytes;
    return make(copy);
  };
  const n = header.n;
  const w = header.featureNames.length;
  return {
    n,
    featureNames: header.featureNames,
    transactionId: take(n * 8, (b) => new Float64Array(b)),
    timeMs: take(n * 8, (b) => new Float64Array(b)),
    customerId: take(n * 4, (b) => new Int32Array(b)),
    day: take(n * 4, (b) => new Int32Array(b)),
    fraud: take(n, (b) => new Uint8Array(b)),
    X: take(n * w * 4, (b) => new Float32Array(b)),
  };
}
