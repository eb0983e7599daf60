/**
 * The three training objectives, each a scalar to minimise over a batch of examples.
 * SFT: mean negative log-likelihood of the assistant tokens. Reward model (Bradley–Terry):
 * −log σ(r_chosen − r_rejected). DPO: −log σ(β[(log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r))]).
 */
import { tf } from './backend.ts';
import type { Completion, PairExample, SftExample } from './data.ts';
import { hiddenStates, logitsAt, rewardOf, type Views } from './model.ts';
import { logSigmoid, targetLogProbs } from './ops.ts';

const targetsOf = (ids: number[], rows: number[]) => tf.tensor1d(rows.map((i) => ids[i + 1]!), 'int32');

/** Sum of log p over the rows' next tokens (the LM head runs only on those rows). */
export function sumLogProb(views: Views, example: SftExample | Completion): tf.Scalar {
  const inputs = example.ids.slice(0, -1);
  const hidden = hiddenStates(views, inputs);
  return tf.sum(targetLogProbs(logitsAt(views, hidden, example.lossRows), targetsOf(example.ids, example.lossRows)));
}

/**
 * Each loss is a sum over the examples divided by `denominator` — the batch's token count
 * (SFT) or pair count — so that a batch split across threads sums back to the same loss.
 */
export function sftLoss(views: Views, batch: SftExample[], denominator = batch.reduce((n, e) => n + e.lossRows.length, 0)): tf.Scalar {
  return tf.div(tf.neg(tf.addN(batch.map((e) => sumLogProb(views, e)))), denominator);
}

export function reward(views: Views, completion: Completion): tf.Scalar {
  return rewardOf(views, hiddenStates(views, completion.ids));
}

export function rewardLoss(views: Views, batch: PairExample[], denominator = batch.length): tf.Scalar {
  const losses = batch.map((pair) => tf.neg(logSigmoid(tf.sub(reward(views, pair.chosen), reward(views, pair.rejected)))));
  return tf.div(tf.addN(losses), denominator);
}

/** Reference log-probabilities, computed once: the reference model never changes. */
export interface ReferenceLogProbs {
  chosen: number;
  rejected: number;
}

export function dpoLoss(
  policy: Views,
  batch: PairExample[],
  reference: ReferenceLogProbs[],
  { beta, nllWeight }: { beta: number; nllWeight: number },
  denominator = batch.length,
): tf.Scalar {
  const losses = batch.map((pair, i) => {
    const chosen = sumLogProb(policy, pair.chosen);
    const rejected = sumLogProb(policy, pair.rejected);
    const ref = reference[i]!;
    const margin = tf.mul(tf.sub(tf.sub(chosen, ref.chosen), tf.sub(rejected, ref.rejected)), beta);
    const dpo = tf.neg(logSigmoid(margin));
    return nllWeight > 0 ? tf.add(dpo, tf.mul(tf.div(tf.neg(chosen), pair.chosen.lossRows.length), nllWeight)) : dpo;
  });
  return tf.div(tf.addN(losses), denominator);
}

export type TrainingMethod = 'sft' | 'reward' | 'dpo';

/** A slice of a batch: its examples, their reference log-probs (DPO) and the whole batch's denominator. */
export interface Shard {
  examples: (SftExample | PairExample)[];
  reference: ReferenceLogProbs[] | null;
  denominator: number;
}

export function denominatorOf(method: TrainingMethod, batch: (SftExample | PairExample)[]): number {
  return method === 'sft' ? (batch as SftExample[]).reduce((n, e) => n + e.lossRows.length, 0) : batch.length;
}

export function shardLoss(method: TrainingMethod, views: Views, shard: Shard, hyper: { beta: number; nllWeight: number }): tf.Scalar {
  if (method === 'sft') return sftLoss(views, shard.examples as SftExample[], shard.denominator);
  if (method === 'reward') return rewardLoss(views, shard.examples as PairExample[], shard.denominator);
  if (!shard.reference) throw new Error('DPO needs the reference log-probabilities of every pair');
  return dpoLoss(views, shard.examples as PairExample[], shard.reference, hyper, shard.denominator);
}
