/**
 * The training loop for all three methods, nanoGPT-style: read the export, build or load the
 * model, then step: batch → loss → gradients → clip → AdamW, with a held-out evaluation every
 * `evalEvery` steps and a checkpoint every `checkpointEvery` (and on interrupt), from which a
 * rerun with the same --out resumes.
 */
import path from 'node:path';
import { tensorflow, tf } from './backend.ts';
import { bagOfWordsAccuracy, unigramLoss } from './baselines.ts';
import { checkCheckpointFolder, isCheckpoint, loadCheckpoint, loadCheckpointState, saveCheckpoint, type Checkpoint, type TrainingInfo } from './checkpoint.ts';
import { modelConfigFrom, trainConfigSchema, type ModelConfig, type TrainConfig } from './config.ts';
import { corpusOf, exportFiles, pairExample, readRecords, sftExample, type PairExample, type PreferenceRecord, type SftExample, type SftRecord } from './data.ts';
import { completionsOf, dpoMargins, marginsOf, pairFigures, pairLogProbs, sftFigures, tokensOf } from './evaluate.ts';
import { initParams, parameterCount, type Params } from './model.ts';
import type { ReferenceLogProbs } from './objectives.ts';
import { trainingThreads } from './parallel.ts';
import { createStepper } from './step.ts';
import { AdamW, learningRateAt } from './optimizer.ts';
import { seededRandom } from './sample.ts';
import { trainTokenizer, type Tokenizer } from './tokenizer.ts';

export type { TrainingMethod } from './objectives.ts';
import type { TrainingMethod } from './objectives.ts';

export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  learningRate: number;
  tokensPerSecond: number;
  etaSeconds: number;
}

/** One held-out evaluation: `{tokens, loss}` for SFT, `{pairs, accuracy, meanMargin}` otherwise. */
export type EvalRecord = { step: number; trainLoss: number | null } & Record<string, number | null>;

export interface TrainOptions {
  method: TrainingMethod;
  /** An export directory (train.jsonl, test.jsonl) or one JSONL file. */
  data: string;
  out: string;
  /** A checkpoint to start from: an SFT model for reward models (optional) and DPO (required). */
  init?: string | null;
  config?: Partial<TrainConfig>;
  onProgress?: (progress: TrainProgress) => void;
  onEval?: (record: EvalRecord) => void;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
  /** Threads to split each batch over (default: one per core). */
  threads?: number;
}

export interface TrainResult {
  out: string;
  step: number;
  finished: boolean;
  parameters: number;
  metrics: EvalRecord[];
  baseline: Record<string, number>;
}

let variableSerial = 0;

interface Prepared {
  config: ModelConfig;
  tokenizer: Tokenizer;
  params: Params;
  reference: Params | null;
  startStep: number;
  optimizerState: { step: number; state: Map<string, tf.Tensor> } | null;
  metrics: EvalRecord[];
}

/** Resume `out` if it holds an unfinished run of the same method; else start from `init` or from scratch. */
function prepare(options: TrainOptions, cfg: TrainConfig, corpus: () => Iterable<string>, log: (line: string) => void): Prepared {
  const { method, out, init } = options;
  checkCheckpointFolder(out);
  if (isCheckpoint(out)) {
    // Weights, optimizer state and reference from one save: a resume never mixes two steps.
    const saved = loadCheckpointState(out);
    if (saved.training?.kind === method && !saved.training.finished) {
      log(`resuming ${out} at step ${saved.training.step} of ${saved.training.steps}`);
      if (method !== 'dpo' && saved.reference) tf.dispose([...saved.reference.values()]);
      return {
        config: saved.config,
        tokenizer: saved.tokenizer,
        params: saved.params,
        reference: method === 'dpo' ? saved.reference : null,
        startStep: saved.training.step,
        optimizerState: saved.optimizer,
        metrics: saved.training.metrics as EvalRecord[],
      };
    }
    tf.dispose([...saved.params.values(), ...(saved.optimizer?.state.values() ?? []), ...(saved.reference?.values() ?? [])]);
    if (saved.training?.finished) throw new Error(`${out} already holds a finished ${saved.training.kind} run; choose another --out`);
  }
  if (method === 'dpo' && !init) throw new Error('DPO starts from an SFT checkpoint: pass --init <sft checkpoint dir>');
  if (init) {
    const base = loadCheckpoint(init);
    if (base.config.head !== 'lm') throw new Error(`${init} is a reward model; ${method} starts from an SFT (language-model) checkpoint`);
    if (method === 'reward') {
      // InstructGPT recipe: the SFT transformer with its LM head replaced by a scalar head.
      const config: ModelConfig = { ...base.config, head: 'reward' };
      const fresh = initParams(config, cfg.seed);
      for (const [name, value] of base.params) {
        fresh.get(name)?.dispose();
        fresh.set(name, value);
      }
      return { config, tokenizer: base.tokenizer, params: fresh, reference: null, startStep: 0, optimizerState: null, metrics: [] };
    }
    const reference = method === 'dpo' ? new Map([...base.params].map(([k, v]) => [k, v.clone()])) : null;
    return { config: base.config, tokenizer: base.tokenizer, params: base.params, reference, startStep: 0, optimizerState: null, metrics: [] };
  }
  const tokenizer = trainTokenizer(corpus(), cfg.vocabSize);
  const config = modelConfigFrom({ ...cfg, vocabSize: tokenizer.vocabSize }, method === 'reward' ? 'reward' : 'lm');
  return { config, tokenizer, params: initParams(config, cfg.seed), reference: null, startStep: 0, optimizerState: null, metrics: [] };
}

/** The export's held-out split; without one, every tenth record is held out. */
function splitRecords<R>(train: R[], test: R[] | null): { train: R[]; test: R[] } {
  if (test) return { train, test };
  return { train: train.filter((_, i) => i % 10 !== 9), test: train.filter((_, i) => i % 10 === 9) };
}

/** Example order for step `step`: a fresh seeded shuffle each epoch, so a resumed run sees the same batches. */
function batchAt<E>(examples: E[], step: number, batchSize: number, seed: number): E[] {
  const batch: E[] = [];
  for (let k = 0; k < batchSize; k++) {
    const position = step * batchSize + k;
    const epoch = Math.floor(position / examples.length);
    const order = shuffled(examples.length, seed * 1000003 + epoch);
    batch.push(examples[order[position % examples.length]!]!);
  }
  return batch;
}

const orders = new Map<string, Uint32Array>();
function shuffled(n: number, seed: number): Uint32Array {
  const key = `${n}:${seed}`;
  let order = orders.get(key);
  if (!order) {
    order = Uint32Array.from({ length: n }, (_, i) => i);
    const random = seededRandom(seed);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    if (orders.size > 16) orders.clear();
    orders.set(key, order);
  }
  return order;
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  await tensorflow();
  const cfg = trainConfigSchema.parse(options.config ?? {});
  const log = options.onLog ?? (() => {});
  const { method } = options;
  const files = exportFiles(options.data);
  const kind = method === 'sft' ? 'sft' : 'preference';
  const trainRecords = await readRecords(files.train, kind);
  const testRecords = files.test ? await readRecords(files.test, kind) : null;
  const split = splitRecords<SftRecord | PreferenceRecord>(trainRecords, testRecords);
  const prepared = prepare(options, cfg, () => corpusOf(split.train), log);
  const { config, tokenizer, reference } = prepared;

  const encode = (records: (SftRecord | PreferenceRecord)[]) =>
    method === 'sft'
      ? records.map((r) => sftExample(tokenizer, r as SftRecord, config.contextLength)).filter((e): e is SftExample => e !== null)
      : records.map((r) => pairExample(tokenizer, r as PreferenceRecord, config.contextLength));
  const trainExamples = encode(split.train);
  const testExamples = encode(split.test);
  if (trainExamples.length === 0) throw new Error(`${files.train}: no usable training examples`);
  log(`${method}: ${trainExamples.length} training and ${testExamples.length} held-out examples, ${parameterCount(config).toLocaleString('en')} parameters`);

  const baseline: Record<string, number> =
    method === 'sft'
      ? { unigramLoss: unigramLoss(trainExamples as SftExample[], testExamples as SftExample[], config.vocabSize).loss }
      : { bagOfWordsAccuracy: bagOfWordsAccuracy(split.train as PreferenceRecord[], split.test as PreferenceRecord[]).accuracy };

  const id = ++variableSerial;
  const variables = new Map<string, tf.Variable>();
  for (const [name, value] of prepared.params) variables.set(name, tf.variable(value, true, `run${id}/${name}`));
  tf.dispose([...prepared.params.values()]);
  const params: Params = variables;
  const varList = [...variables.values()];

  const optimizer = new AdamW(variables, { weightDecay: cfg.weightDecay, gradClip: cfg.gradClip });
  if (prepared.optimizerState) optimizer.restore(prepared.optimizerState.step, prepared.optimizerState.state);
  const metrics = prepared.metrics;
  const hyper = { beta: cfg.beta, nllWeight: cfg.nllWeight };
  const threads = Math.min(options.threads ?? trainingThreads(), Math.max(cfg.batchSize, 1));
  const stepper = await createStepper({ method, config, variables, optimizer, hyper, threads });

  const testPairs = completionsOf(testExamples as PairExample[]);
  const referenceFor = new Map<PairExample, ReferenceLogProbs>();
  let referenceTest: ReferenceLogProbs[] = [];

  const evaluate = async (step: number, trainLoss: number | null): Promise<EvalRecord> => {
    let figures: Record<string, number>;
    if (method === 'sft') figures = { ...sftFigures(testExamples as SftExample[], await stepper.score(params, testExamples as SftExample[], 'logprob')) };
    else if (method === 'reward') figures = { ...pairFigures(marginsOf(await stepper.score(params, testPairs, 'reward'))) };
    else figures = { ...pairFigures(dpoMargins(pairLogProbs(await stepper.score(params, testPairs, 'logprob')), referenceTest, cfg.beta)) };
    const record: EvalRecord = { step, trainLoss, ...figures };
    metrics.push(record);
    options.onEval?.(record);
    return record;
  };

  const save = (step: number, finished: boolean) => {
    const training: TrainingInfo = {
      kind: method,
      step,
      steps: cfg.steps,
      config: cfg,
      data: path.resolve(options.data),
      init: options.init ? path.resolve(options.init) : null,
      metrics,
      baseline,
      parameters: parameterCount(config),
      finished,
      updatedAt: new Date().toISOString(),
    };
    const checkpoint: Checkpoint = { config, tokenizer, params, training };
    saveCheckpoint(options.out, checkpoint, {
      optimizer: finished ? null : { step: optimizer.step, state: optimizer.state() },
      reference: method === 'dpo' ? reference : null,
    });
  };

  try {
    if (method === 'dpo') {
      // The reference never changes: its log-probabilities are computed once, on every thread.
      if (!reference) throw new Error(`${options.out}: the DPO reference weights (reference.safetensors) are missing`);
      const train = pairLogProbs(await stepper.score(reference, completionsOf(trainExamples as PairExample[]), 'logprob'));
      (trainExamples as PairExample[]).forEach((e, i) => referenceFor.set(e, train[i]!));
      referenceTest = pairLogProbs(await stepper.score(reference, testPairs, 'logprob'));
    }
    return await loop();
  } finally {
    await stepper.close();
    tf.dispose(varList);
    optimizer.dispose();
    if (reference) tf.dispose([...reference.values()]);
  }

  async function loop(): Promise<TrainResult> {
    if (prepared.startStep === 0 && metrics.length === 0) await evaluate(0, null);
    const started = performance.now();
    let trainingSeconds = 0;
    let tokens = 0;
    let lastLoss = NaN;
    let step = prepared.startStep;
    for (; step < cfg.steps; step++) {
      if (options.signal?.aborted) {
        save(step, false);
        log(`interrupted: saved step ${step} to ${options.out}; run the same command again to resume`);
        break;
      }
      const stepStarted = performance.now();
      const batch = batchAt(trainExamples as (SftExample | PairExample)[], step, cfg.batchSize, cfg.seed);
      const learningRate = learningRateAt(step, { peak: cfg.learningRate, warmup: cfg.warmupSteps, total: cfg.steps });
      lastLoss = await stepper.step(batch, learningRate, (pair) => referenceFor.get(pair)!);
      trainingSeconds += (performance.now() - stepStarted) / 1000;
      if (!Number.isFinite(lastLoss)) throw new Error(`the loss became ${lastLoss} at step ${step + 1}; lower --learning-rate`);
      tokens += batch.reduce((n, e) => n + tokensOf(e), 0);
      const seconds = (performance.now() - started) / 1000;
      const done = step + 1 - prepared.startStep;
      options.onProgress?.({
        step: step + 1,
        steps: cfg.steps,
        loss: lastLoss,
        learningRate,
        // Training steps only: held-out evaluations and checkpoints are left out of tokens/s.
        tokensPerSecond: tokens / trainingSeconds,
        etaSeconds: (seconds / done) * (cfg.steps - step - 1),
      });
      const last = step + 1 === cfg.steps;
      if ((step + 1) % cfg.evalEvery === 0 || last) await evaluate(step + 1, lastLoss);
      if (!last && (step + 1) % cfg.checkpointEvery === 0) save(step + 1, false);
    }
    const finished = step >= cfg.steps;
    if (finished) save(step, true);
    return { out: options.out, step, finished, parameters: parameterCount(config), metrics, baseline };
  }
}
