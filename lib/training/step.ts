/**
 * One optimisation step, shared by the trainer and the throughput benchmark: split the batch
 * into shards (one per thread), compute this thread's shard while the workers compute theirs,
 * sum the gradients, apply AdamW. Returns the batch loss.
 */
import { tf } from './backend.ts';
import type { ModelConfig } from './config.ts';
import type { Completion, PairExample, SftExample } from './data.ts';
import { scoreExamples, tokensOf, withViews, type ScoreKind } from './evaluate.ts';
import { weightViews, type Params } from './model.ts';
import { denominatorOf, shardLoss, type ReferenceLogProbs, type Shard, type TrainingMethod } from './objectives.ts';
import type { AdamW } from './optimizer.ts';
import { GradientPool, shardBatch } from './parallel.ts';

export interface Stepper {
  step(batch: (SftExample | PairExample)[], learningRate: number, reference?: (pair: PairExample) => ReferenceLogProbs): Promise<number>;
  /** Scores examples (held-out evaluation, DPO's reference) on every thread, in the examples' order. */
  score(weights: Params, examples: (SftExample | Completion)[], kind: ScoreKind): Promise<number[]>;
  close(): Promise<void>;
}

export async function createStepper(options: {
  method: TrainingMethod;
  config: ModelConfig;
  variables: Map<string, tf.Variable>;
  optimizer: AdamW;
  hyper: { beta: number; nllWeight: number };
  threads: number;
}): Promise<Stepper> {
  const { method, config, variables, optimizer, hyper } = options;
  const pool = options.threads > 1 ? await GradientPool.start(options.threads - 1, { config, method, ...hyper }) : null;
  const varList = [...variables.values()];
  const nameOf = new Map([...variables].map(([name, v]) => [v.name, name]));
  return {
    async step(batch, learningRate, reference) {
      const denominator = denominatorOf(method, batch);
      const shards: Shard[] = shardBatch(batch, (pool?.size ?? 0) + 1, tokensOf)
        .filter((examples) => examples.length > 0)
        .map((examples) => ({ examples, denominator, reference: method === 'dpo' ? examples.map((e) => reference!(e as PairExample)) : null }));
      // The workers start on their shards first; this thread computes the first shard meanwhile.
      const remote = pool && shards.length > 1 ? pool.dispatch(variables, shards.slice(1)) : Promise.resolve([]);
      const { value, grads } = tf.variableGrads(() => shardLoss(method, weightViews(config, variables), shards[0]!, hyper), varList);
      const replies = await remote;
      const named = tf.tidy(() => {
        const sums: Record<string, tf.Tensor> = {};
        for (const [varName, grad] of Object.entries(grads)) {
          const name = nameOf.get(varName)!;
          sums[name] = tf.addN([grad, ...replies.map((r) => tf.tensor(r.grads[name]!, grad.shape, 'float32'))]);
        }
        return sums;
      });
      optimizer.apply(named, learningRate);
      const loss = value.dataSync()[0]! + replies.reduce((sum, r) => sum + r.loss, 0);
      tf.dispose([value, ...Object.values(grads), ...Object.values(named)]);
      return loss;
    },
    async score(weights, examples, kind) {
      const parts = (pool?.size ?? 0) + 1;
      // Interleaved, so that each thread gets long and short examples alike.
      const split = Array.from({ length: parts }, (_, p) => examples.filter((_, i) => i % parts === p));
      const remote = pool ? pool.score(weights, split.slice(1), kind) : Promise.resolve([]);
      const own = withViews(config, weights, (views) => scoreExamples(views, split[0]!, kind));
      const all = [own, ...(await remote)];
      return examples.map((_, i) => all[i % parts]![Math.floor(i / parts)]!);
    },
    close: async () => pool?.close(),
  };
}
