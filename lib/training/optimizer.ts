/**
 * AdamW (decoupled weight decay, Loshchilov & Hutter) with global-norm gradient clipping.
 * tfjs ships Adam without decoupled decay, and its state cannot be saved and restored as
 * plainly as two named moment tensors per parameter, which resuming needs.
 */
import { tf } from './backend.ts';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay: number;
  gradClip: number;
}

export class AdamW {
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly params: Map<string, tf.Variable>,
    private readonly options: AdamWOptions,
  ) {
    for (const [name, p] of params) {
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  /** Applies one update; returns the gradient norm before clipping. */
  apply(grads: Record<string, tf.Tensor>, learningRate: number): number {
    const { beta1 = 0.9, beta2 = 0.95, epsilon = 1e-8, weightDecay, gradClip } = this.options;
    this.step += 1;
    const t = this.step;
    return tf.tidy(() => {
      const norm = Math.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]!);
      const clip = norm > gradClip ? gradClip / norm : 1;
      const stepSize = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      for (const [name, p] of this.params) {
        const g = grads[name];
        if (!g) continue;
        const gc = tf.mul(g, clip);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(gc, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(gc), 1 - beta2)));
        // Decay matrices only: gains, biases and the like are left alone (as in GPT-2 / nanoGPT).
        const decayed = p.rank >= 2 && weightDecay > 0 ? tf.mul(p, 1 - learningRate * weightDecay) : p;
        p.assign(tf.sub(decayed, tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(v), epsilon))));
      }
      return norm;
    });
  }

  dispose(): void {
    tf.dispose([...this.m.values(), ...this.v.values()]);
  }

  /** Moments as named tensors, for a checkpoint. */
  state(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, m] of this.m) out.set(`m.${name}`, m);
    for (const [name, v] of this.v) out.set(`v.${name}`, v);
    return out;
  }

  restore(step: number, tensors: Map<string, tf.Tensor>): void {
    this.step = step;
    for (const [name, m] of this.m) {
      const saved = tensors.get(`m.${name}`);
      if (saved) m.assign(saved);
    }
    for (const [name, v] of this.v) {
      const saved = tensors.get(`v.${name}`);
      if (saved) v.assign(saved);
    }
  }
}

/** Linear warm-up, then cosine decay to a tenth of the peak. */
export function learningRateAt(step: number, { peak, warmup, total }: { peak: number; warmup: number; total: number }): number {
  if (warmup > 0 && step < warmup) return (peak * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
  return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
