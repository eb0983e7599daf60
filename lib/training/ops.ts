/**
 * The few differentiable building blocks the transformer needs, written so that every matrix
 * product the wasm backend runs — forward and backward — is a plain 2-D matmul without
 * transpose flags. XNNPACK handles only that case; anything else (batched, transposed) falls
 * back to a loop ~10× slower, which is what made a straightforward tfjs model run at ~2% of
 * this CPU's peak. So: no batch dimension anywhere (a batch is a list of sequences), explicit
 * transposes, and gradients we write ourselves.
 */
import { tf } from './backend.ts';

type T2 = tf.Tensor2D;

/** a·b for 2-D tensors, with a gradient that is again two plain 2-D matmuls. */
export const mm = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as T2, b as T2),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [T2, T2];
      return [tf.matMul(dy as T2, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as T2)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (a: tf.Tensor, b: tf.Tensor) => T2;

/**
 * Rows `ids` of `table`. The stock gather gradient needs UnsortedSegmentSum, which the wasm
 * backend lacks; scatterND sums rows of repeated ids, which is exactly the gradient.
 */
export function gatherRows(table: tf.Tensor, ids: tf.Tensor1D): T2 {
  const [rows, width] = table.shape as [number, number];
  const gather = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
    // Saved, not captured: the tape frees captured tensors before the backward pass runs.
    save([ids]);
    return {
      value: tf.gather(t, ids) as T2,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(saved[0]!.reshape([ids.shape[0], 1]), dy, [rows, width]),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return gather(table) as T2;
}

export function layerNorm(x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor, eps = 1e-5): T2 {
  const mean = tf.mean(x, 1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), 1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), gain), bias) as T2;
}

/**
 * GELU, sigmoid approximation x·σ(1.702x) (Hendrycks & Gimpel). On wasm, tanh and pow run
 * ~6× slower than sigmoid and multiply, so the usual tanh form cost a tenth of each step.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(tf.mul(x, 1.702)));
}

/** log p(target) per row of `logits`. One-hot in int32 then cast: the wasm backend's float32 oneHot returns int bit patterns. */
export function targetLogProbs(logits: tf.Tensor, targets: tf.Tensor1D): tf.Tensor1D {
  const vocab = logits.shape[1]!;
  const logp = tf.logSoftmax(logits);
  const picked = tf.oneHot(targets, vocab).cast('float32');
  return tf.sum(tf.mul(logp, picked), 1) as tf.Tensor1D;
}

/** log σ(x), stable for large |x|: −softplus(−x). */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.neg(tf.softplus(tf.neg(x)));
}

const masks = new Map<string, tf.Tensor2D>();

/** Additive causal mask for `n` new positions after `past` cached ones: row i sees keys 0…past+i. */
export function causalMask(n: number, past: number): tf.Tensor2D {
  const key = `${n}:${past}`;
  let mask = masks.get(key);
  if (!mask) {
    const width = past + n;
    const values = new Float32Array(n * width);
    for (let i = 0; i < n; i++) for (let j = past + i + 1; j < width; j++) values[i * width + j] = -1e9;
    mask = tf.keep(tf.tensor2d(values, [n, width]));
    if (masks.size > 512) {
      for (const old of masks.values()) old.dispose();
      masks.clear();
    }
    masks.set(key, mask);
  }
  return mask;
}
