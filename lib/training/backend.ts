/**
 * The numerics library: TensorFlow.js on its WebAssembly backend (XNNPACK, SIMD), measured
 * here at 14–28 GFLOP/s for plain 2-D matmuls on one thread, against ~1 for the pure-JS
 * `cpu` backend. `@tensorflow/tfjs-node` cannot be installed on this machine (it downloads
 * libtensorflow), so wasm is the fastest backend that installs from the npm registry alone.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<typeof tf> | null = null;

export function tensorflow(): Promise<typeof tf> {
  ready ??= (async () => {
    // Production mode skips per-kernel safety checks (~10% of a step); tests watch the tensor count instead.
    tf.enableProdMode();
    if (!(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js wasm backend failed to start');
    await tf.ready();
    return tf;
  })();
  return ready;
}

export { tf };
