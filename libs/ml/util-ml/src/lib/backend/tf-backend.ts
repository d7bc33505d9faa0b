import * as path from 'node:path';
import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

// Optional peer: referenced through a constant so the import graph does not demand it be installed.
const TFJS_NODE = '@tensorflow/tfjs-node';

let tfInstance: Tf | undefined;
let chosen: Promise<BackendName> | undefined;

function canResolve(id: string): boolean {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

/**
 * tfjs is loaded lazily so that serving code (compiled forward pass, tree evaluator) never pays for it.
 * tfjs-node replaces the pure-JS package when installed; it registers the 'tensorflow' backend on load.
 */
export function getTf(): Tf {
  if (!tfInstance) {
    tfInstance = (canResolve(TFJS_NODE) ? require(TFJS_NODE) : require('@tensorflow/tfjs')) as Tf;
  }
  return tfInstance;
}

async function select(): Promise<BackendName> {
  const tf = getTf();
  if (canResolve(TFJS_NODE)) {
    try {
      if (await tf.setBackend('tensorflow')) return 'tensorflow';
    } catch {
      // fall through to wasm
    }
  }
  if (canResolve('@tensorflow/tfjs-backend-wasm')) {
    try {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
      const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(dist + path.sep);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm';
      }
    } catch {
      // fall through to cpu
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

/** Picks tfjs-node, else wasm, else cpu; idempotent (concurrent callers share one initialisation). */
export function initBackend(): Promise<BackendName> {
  if (!chosen) {
    chosen = select().catch((e: unknown) => {
      chosen = undefined;
      throw e;
    });
  }
  return chosen;
}
