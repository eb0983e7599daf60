/**
 * A small GPT: token + position embeddings, `layers` pre-norm blocks of causal multi-head
 * self-attention and a GELU MLP, a final layer norm, then either the language-model head
 * (tied to the token embedding) or a scalar reward head read off the last position.
 *
 * One sequence at a time, every tensor 2-D ([positions, width]); see ops.ts for why. Heads
 * are column blocks of the weight matrices, sliced once per step (weights are small; slicing
 * activations copies them whole on wasm).
 */
import type { ModelConfig } from './config.ts';
import { tf } from './backend.ts';
import { causalMask, gatherRows, gelu, layerNorm, mm } from './ops.ts';

export type Params = Map<string, tf.Tensor>;

/** Parameter names and shapes, in the order checkpoints store them. */
export function parameterShapes(config: ModelConfig): [string, number[]][] {
  const { vocabSize: V, contextLength: C, width: d, layers } = config;
  const shapes: [string, number[]][] = [
    ['wte', [V, d]],
    ['wpe', [C, d]],
  ];
  for (let l = 0; l < layers; l++) {
    shapes.push(
      [`h${l}.ln1.g`, [d]],
      [`h${l}.ln1.b`, [d]],
      [`h${l}.attn.wq`, [d, d]],
      [`h${l}.attn.wk`, [d, d]],
      [`h${l}.attn.wv`, [d, d]],
      [`h${l}.attn.wo`, [d, d]],
      [`h${l}.ln2.g`, [d]],
      [`h${l}.ln2.b`, [d]],
      [`h${l}.mlp.w1`, [d, 4 * d]],
      [`h${l}.mlp.w2`, [4 * d, d]],
    );
  }
  shapes.push(['lnf.g', [d]], ['lnf.b', [d]]);
  if (config.head === 'reward') shapes.push(['reward.w', [d, 1]], ['reward.b', [1]]);
  return shapes;
}

export function parameterCount(config: ModelConfig): number {
  return parameterShapes(config).reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0);
}

/** GPT-2 initialisation: N(0, 0.02), residual projections scaled by 1/√(2·layers), norms at 1/0. */
export function initParams(config: ModelConfig, seed: number): Params {
  const params: Params = new Map();
  const residualStd = 0.02 / Math.sqrt(2 * config.layers);
  parameterShapes(config).forEach(([name, shape], i) => {
    let value: tf.Tensor;
    if (name.endsWith('.g')) value = tf.ones(shape);
    else if (name.endsWith('.b')) value = tf.zeros(shape);
    else if (name.endsWith('attn.wo') || name.endsWith('mlp.w2')) value = tf.randomNormal(shape, 0, residualStd, 'float32', seed + i);
    else if (name === 'reward.w') value = tf.zeros(shape);
    else value = tf.randomNormal(shape, 0, 0.02, 'float32', seed + i);
    params.set(name, value);
  });
  return params;
}

/** Per-step views of the weights: each head's column blocks and the transposed embedding. */
export interface Views {
  config: ModelConfig;
  p: (name: string) => tf.Tensor;
  heads: { q: tf.Tensor2D[]; k: tf.Tensor2D[]; v: tf.Tensor2D[]; o: tf.Tensor2D[] }[];
  wteT: tf.Tensor2D | null;
}

export function weightViews(config: ModelConfig, params: Params): Views {
  const p = (name: string) => {
    const value = params.get(name);
    if (!value) throw new Error(`the checkpoint has no parameter "${name}"`);
    return value;
  };
  const d = config.width;
  const dh = d / config.heads;
  const heads = [];
  for (let l = 0; l < config.layers; l++) {
    const cols = (w: tf.Tensor) => Array.from({ length: config.heads }, (_, h) => tf.slice(w, [0, h * dh], [d, dh]) as tf.Tensor2D);
    const rows = (w: tf.Tensor) => Array.from({ length: config.heads }, (_, h) => tf.slice(w, [h * dh, 0], [dh, d]) as tf.Tensor2D);
    heads.push({ q: cols(p(`h${l}.attn.wq`)), k: cols(p(`h${l}.attn.wk`)), v: cols(p(`h${l}.attn.wv`)), o: rows(p(`h${l}.attn.wo`)) });
  }
  return { config, p, heads, wteT: config.head === 'lm' ? (tf.transpose(p('wte')) as tf.Tensor2D) : null };
}

/** Keys and values of earlier positions, per layer and head, for generation one token at a time. */
export type KvCache = { k: tf.Tensor2D; v: tf.Tensor2D }[][];

/**
 * Hidden states after the final layer norm, [ids.length, width]. With `cache`, `ids` are new
 * positions following the cached ones, and the cache is replaced by one that includes them
 * (the caller owns and disposes cache tensors).
 */
export function hiddenStates(views: Views, ids: number[], cache?: { past: KvCache | null; next: KvCache }): tf.Tensor2D {
  const { config, p } = views;
  const n = ids.length;
  const past = cache?.past?.[0]?.[0]?.k.shape[0] ?? 0;
  if (past + n > config.contextLength) throw new Error(`sequence of ${past + n} tokens exceeds the context length ${config.contextLength}`);
  const dh = config.width / config.heads;
  const scale = 1 / Math.sqrt(dh);
  const mask = causalMask(n, past);
  const tokens = gatherRows(p('wte'), tf.tensor1d(ids, 'int32'));
  const positions = tf.slice(p('wpe'), [past, 0], [n, config.width]);
  let x: tf.Tensor2D = tf.add(tokens, positions);
  for (let l = 0; l < config.layers; l++) {
    const a = layerNorm(x, p(`h${l}.ln1.g`), p(`h${l}.ln1.b`));
    const w = views.heads[l]!;
    const outputs: tf.Tensor2D[] = [];
    const layerCache: { k: tf.Tensor2D; v: tf.Tensor2D }[] = [];
    for (let h = 0; h < config.heads; h++) {
      const q = mm(a, w.q[h]!);
      let k = mm(a, w.k[h]!);
      let v = mm(a, w.v[h]!);
      const before = cache?.past?.[l]?.[h];
      if (before) {
        k = tf.concat([before.k, k], 0);
        v = tf.concat([before.v, v], 0);
      }
      if (cache) layerCache.push({ k: tf.keep(k), v: tf.keep(v) });
      const scores = tf.add(tf.mul(mm(q, tf.transpose(k)), scale), mask);
      outputs.push(mm(mm(tf.softmax(scores), v), w.o[h]!));
    }
    if (cache) cache.next.push(layerCache);
    x = tf.add(x, outputs.length === 1 ? outputs[0]! : tf.addN(outputs));
    const b = layerNorm(x, p(`h${l}.ln2.g`), p(`h${l}.ln2.b`));
    x = tf.add(x, mm(gelu(mm(b, p(`h${l}.mlp.w1`))), p(`h${l}.mlp.w2`)));
  }
  return layerNorm(x, p('lnf.g'), p('lnf.b'));
}

/** Next-token logits for the given rows of hidden states, [rows, vocab]. */
export function logitsAt(views: Views, hidden: tf.Tensor2D, rows?: number[]): tf.Tensor2D {
  if (!views.wteT) throw new Error('a reward model has no language-model head');
  const picked = rows ? gatherRows(hidden, tf.tensor1d(rows, 'int32')) : hidden;
  return mm(picked, views.wteT);
}

/** The reward of a whole sequence: a scalar read off its last position. */
export function rewardOf(views: Views, hidden: tf.Tensor2D): tf.Scalar {
  const last = tf.slice(hidden, [hidden.shape[0] - 1, 0], [1, views.config.width]);
  return tf.add(mm(last, views.p('reward.w') as tf.Tensor2D), views.p('reward.b')).reshape([]) as tf.Scalar;
}

/** Views that outlive a tidy scope, for evaluation and generation; release with disposeViews. */
export function keptViews(config: ModelConfig, params: Params): Views {
  let views: Views | null = null;
  tf.tidy(() => {
    views = weightViews(config, params);
    for (const layer of views.heads) for (const list of Object.values(layer)) for (const t of list) tf.keep(t);
    if (views.wteT) tf.keep(views.wteT);
  });
  return views!;
}

export function disposeViews(views: Views): void {
  for (const layer of views.heads) for (const list of Object.values(layer)) for (const t of list) t.dispose();
  views.wteT?.dispose();
}
