/**
 * Held-out figures, computed the same way by the trainer, the CLI's `eval` and the admin page:
 * SFT → mean NLL per assistant token; reward model → pairwise accuracy and mean margin
 * r(chosen) − r(rejected); DPO → the same for the implicit reward β·log(π/π_ref).
 */
import { tensorflow, tf } from './backend.ts';
import { loadCheckpointState } from './checkpoint.ts';
import { pairExample, readRecords, sftExample, type Completion, type PairExample, type SftExample } from './data.ts';
import { disposeViews, keptViews, type Params, type Views } from './model.ts';
import type { ModelConfig } from './config.ts';
import { reward, sumLogProb, type ReferenceLogProbs } from './objectives.ts';

export interface SftFigures {
  tokens: number;
  loss: number;
}
export interface PairFigures {
  pairs: number;
  accuracy: number;
  meanMargin: number;
}

export function withViews<T>(config: ModelConfig, params: Params, fn: (views: Views) => T): T {
  const views = keptViews(config, params);
  try {
    return fn(views);
  } finally {
    disposeViews(views);
  }
}

const scalar = (fn: () => tf.Scalar) => tf.tidy(() => fn().dataSync()[0]!);

export type ScoreKind = 'logprob' | 'reward';

/** Per example: the sum of log-probabilities of its learned tokens, or its reward. */
export function scoreExamples(views: Views, examples: (SftExample | Completion)[], kind: ScoreKind): number[] {
  return examples.map((e) => scalar(() => (kind === 'reward' ? reward(views, e as Completion) : sumLogProb(views, e))));
}

export function sftFigures(examples: SftExample[], logProbSums: number[]): SftFigures {
  const tokens = examples.reduce((n, e) => n + e.lossRows.length, 0);
  const nll = -logProbSums.reduce((a, b) => a + b, 0);
  return { tokens, loss: tokens ? nll / tokens : NaN };
}

/** chosen, rejected, chosen, rejected…: the order pair scores travel in. */
export const completionsOf = (pairs: PairExample[]): Completion[] => pairs.flatMap((p) => [p.chosen, p.rejected]);
export const marginsOf = (scores: number[]): number[] => Array.from({ length: scores.length / 2 }, (_, i) => scores[2 * i]! - scores[2 * i + 1]!);
export const pairLogProbs = (scores: number[]): ReferenceLogProbs[] => Array.from({ length: scores.length / 2 }, (_, i) => ({ chosen: scores[2 * i]!, rejected: scores[2 * i + 1]! }));

export function evaluateSft(views: Views, examples: SftExample[]): SftFigures {
  return sftFigures(examples, scoreExamples(views, examples, 'logprob'));
}

/** A tie (margin exactly 0, as at step 0) counts as half right: the model has no preference yet. */
export function pairFigures(margins: number[]): PairFigures {
  const score = margins.reduce((sum, m) => sum + (m > 0 ? 1 : m === 0 ? 0.5 : 0), 0);
  return {
    pairs: margins.length,
    accuracy: margins.length ? score / margins.length : NaN,
    meanMargin: margins.length ? margins.reduce((a, b) => a + b, 0) / margins.length : NaN,
  };
}

export function rewardMargins(views: Views, pairs: PairExample[]): number[] {
  return marginsOf(scoreExamples(views, completionsOf(pairs), 'reward'));
}

export function logProbs(views: Views, pairs: PairExample[]): ReferenceLogProbs[] {
  return pairLogProbs(scoreExamples(views, completionsOf(pairs), 'logprob'));
}

/** Implicit-reward margins β[(log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r))]. */
export function dpoMargins(policy: ReferenceLogProbs[], reference: ReferenceLogProbs[], beta: number): number[] {
  return policy.map((p, i) => beta * (p.chosen - reference[i]!.chosen - (p.rejected - reference[i]!.rejected)));
}

/** Tokens fed through the model for an example (for tokens/s). */
export function tokensOf(example: SftExample | Completion | PairExample): number {
  return 'ids' in example ? example.ids.length - 1 : example.chosen.ids.length + example.rejected.ids.length;
}

/** `npm run eval`: a checkpoint's figures on one JSONL file of the matching kind. */
export async function evaluateCheckpointOn(method: 'sft' | 'reward' | 'dpo', modelDir: string, dataFile: string): Promise<SftFigures | PairFigures> {
  await tensorflow();
  const model = loadCheckpointState(modelDir, { optimizer: false, reference: method === 'dpo' });
  try {
    if (method === 'reward' && model.config.head !== 'reward') throw new Error(`${modelDir} is a language model, not a reward model`);
    if (method !== 'reward' && model.config.head !== 'lm') throw new Error(`${modelDir} is a reward model; evaluate it with "reward"`);
    if (method === 'sft') {
      const records = await readRecords(dataFile, 'sft');
      const examples = records.map((r) => sftExample(model.tokenizer, r, model.config.contextLength)).filter((e): e is SftExample => e !== null);
      return withViews(model.config, model.params, (views) => evaluateSft(views, examples));
    }
    const records = await readRecords(dataFile, 'preference');
    const pairs = records.map((r) => pairExample(model.tokenizer, r, model.config.contextLength));
    if (method === 'reward') return pairFigures(withViews(model.config, model.params, (views) => rewardMargins(views, pairs)));
    const reference = model.reference;
    if (!reference) throw new Error(`${modelDir} has no reference.safetensors: is it a DPO checkpoint?`);
    const beta = Number((model.training?.config as { beta?: number } | undefined)?.beta ?? 0.1);
    const policy = withViews(model.config, model.params, (views) => logProbs(views, pairs));
    const ref = withViews(model.config, reference, (views) => logProbs(views, pairs));
    return pairFigures(dpoMargins(policy, ref, beta));
  } finally {
    tf.dispose([...model.params.values(), ...(model.reference?.values() ?? [])]);
  }
}
