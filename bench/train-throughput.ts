/**
 * Training throughput of one step (forward, backward, AdamW) for a fixed small GPT —
 * 4 layers, width 256, 4 heads, context 256, vocabulary 4,096, batch 8 full-length sequences —
 * measured in one run for:
 *   - Feedloop's model (lib/training), on 1 thread and on every core (worker threads);
 *   - the same model written the straightforward tfjs way (batched 3-D/4-D ops, stock gradients);
 *   - the same model and step in PyTorch on this CPU;
 * with model FLOPs utilisation, 6 × parameters × tokens/s, against this machine's sgemm
 * ceiling measured by numpy in the same run.
 *
 * Run by hand:  apt-get install -y python3-torch python3-numpy   (Debian's packages; once)
 *               npx tsx bench/train-throughput.ts [--steps 3] [--batch 8]
 * Figures are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { tensorflow, tf } from '../lib/training/backend.ts';
import { modelConfigSchema, type ModelConfig } from '../lib/training/config.ts';
import type { SftExample } from '../lib/training/data.ts';
import { initParams, parameterCount } from '../lib/training/model.ts';
import { gatherRows, layerNorm, targetLogProbs } from '../lib/training/ops.ts';
import { AdamW } from '../lib/training/optimizer.ts';
import { createStepper } from '../lib/training/step.ts';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '3' }, batch: { type: 'string', default: '8' } } });
const STEPS = Number(values.steps);
const BATCH = Number(values.batch);
const config: ModelConfig = modelConfigSchema.parse({ vocabSize: 4096, contextLength: 256, layers: 4, width: 256, heads: 4, head: 'lm' });
const PARAMS = parameterCount(config);
const CORES = os.availableParallelism();

function randomBatch(seed: number): SftExample[] {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) % config.vocabSize;
  return Array.from({ length: BATCH }, () => {
    const ids = Array.from({ length: config.contextLength + 1 }, next);
    return { ids, lossRows: ids.slice(0, -1).map((_, i) => i) };
  });
}

async function timeSteps(step: () => Promise<unknown> | unknown): Promise<number> {
  await step(); // warm-up: kernels compiled, buffers allocated
  const started = performance.now();
  for (let i = 0; i < STEPS; i++) await step();
  const seconds = (performance.now() - started) / 1000 / STEPS;
  return (BATCH * config.contextLength) / seconds;
}

async function feedloop(threads: number): Promise<number> {
  const variables = new Map([...initParams(config, 1)].map(([name, v]) => [name, tf.variable(v, true, `bench${threads}/${name}`)]));
  const optimizer = new AdamW(variables, { weightDecay: 0.01, gradClip: 1 });
  const stepper = await createStepper({ method: 'sft', config, variables, optimizer, hyper: { beta: 0.1, nllWeight: 0 }, threads });
  const batch = randomBatch(7);
  try {
    return await timeSteps(() => stepper.step(batch, 1e-3));
  } finally {
    await stepper.close();
    optimizer.dispose();
    tf.dispose([...variables.values()]);
  }
}

/** The same model as most people would first write it in tfjs: batched ops, stock gradients. */
async function straightforward(): Promise<number> {
  const variables = new Map([...initParams(config, 1)].map(([name, v]) => [name, tf.variable(v, true, `plain/${name}`)]));
  const p = (name: string) => variables.get(name)!;
  const optimizer = new AdamW(variables, { weightDecay: 0.01, gradClip: 1 });
  const { contextLength: T, width: D, heads: H } = config;
  const dh = D / H;
  const batch = randomBatch(7);
  const inputs = tf.tensor1d(batch.flatMap((e) => e.ids.slice(0, -1)), 'int32');
  const targets = tf.tensor1d(batch.flatMap((e) => e.ids.slice(1)), 'int32');
  const mask = tf.linalg.bandPart(tf.ones([T, T]), -1, 0).sub(1).mul(1e9);
  const heads = (x: tf.Tensor) => x.reshape([BATCH, T, H, dh]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
  const loss = () => {
    // gather's stock gradient needs a kernel wasm lacks, so the embedding uses Feedloop's gatherRows.
    let x = tf.add(gatherRows(p('wte'), inputs), tf.tile(p('wpe'), [BATCH, 1])) as tf.Tensor2D;
    for (let l = 0; l < config.layers; l++) {
      const a = layerNorm(x, p(`h${l}.ln1.g`), p(`h${l}.ln1.b`));
      const [q, k, v] = ['wq', 'wk', 'wv'].map((w) => heads(tf.matMul(a, p(`h${l}.attn.${w}`) as tf.Tensor2D)));
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(q!, k!, false, true), 1 / Math.sqrt(dh)), mask));
      const o = tf.matMul(att, v!).transpose([0, 2, 1, 3]).reshape([BATCH * T, D]) as tf.Tensor2D;
      x = tf.add(x, tf.matMul(o, p(`h${l}.attn.wo`) as tf.Tensor2D));
      const b = layerNorm(x, p(`h${l}.ln2.g`), p(`h${l}.ln2.b`));
      const w = tf.matMul(b, p(`h${l}.mlp.w1`) as tf.Tensor2D);
      x = tf.add(x, tf.matMul(tf.mul(w, tf.sigmoid(tf.mul(w, 1.702))), p(`h${l}.mlp.w2`) as tf.Tensor2D));
    }
    const logits = tf.matMul(layerNorm(x, p('lnf.g'), p('lnf.b')), p('wte') as tf.Tensor2D, false, true);
    return tf.neg(tf.mean(targetLogProbs(logits, targets))) as tf.Scalar;
  };
  try {
    return await timeSteps(() => {
      const { value, grads } = tf.variableGrads(loss, [...variables.values()]);
      const named = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name.replace('plain/', ''), g]));
      optimizer.apply(named, 1e-3);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    });
  } finally {
    optimizer.dispose();
    tf.dispose([...variables.values(), inputs, targets, mask]);
  }
}

interface TorchFigures {
  torch: string;
  threads: number;
  parameters: number;
  tokensPerSecond: number;
}

const SCRIPT = path.join(import.meta.dirname, 'train_throughput_torch.py');
const DEBIAN_PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function python<T>(interpreter: string, arg: string): T | string {
  const run = spawnSync(interpreter, [SCRIPT, arg], { encoding: 'utf8' });
  if (run.status !== 0) return (run.stderr || run.error?.message || 'failed').trim().split('\n').at(-1)!;
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as T;
}

const pytorch = (threads: number) => python<TorchFigures>(DEBIAN_PYTHON, JSON.stringify({ ...config, batchSize: BATCH, steps: STEPS, threads }));

/** The best sgemm any numpy here reaches (Debian's links the reference BLAS; another python3 on PATH may have OpenBLAS). */
function sgemmCeiling(): { gflops: number; via: string } | null {
  let best: { gflops: number; via: string } | null = null;
  for (const interpreter of new Set([DEBIAN_PYTHON, 'python3'])) {
    const figures = python<{ numpy: string; sgemmGflops: number }>(interpreter, 'sgemm');
    if (typeof figures !== 'string' && (!best || figures.sgemmGflops > best.gflops)) best = { gflops: figures.sgemmGflops, via: `${interpreter}, numpy ${figures.numpy}` };
  }
  return best;
}

await tensorflow();
console.log(`model: ${config.layers} layers, width ${config.width}, ${config.heads} heads, context ${config.contextLength}, vocabulary ${config.vocabSize}: ${PARAMS.toLocaleString('en')} parameters; batch ${BATCH} × ${config.contextLength} tokens; ${STEPS} timed steps after 1 warm-up; ${CORES} cores`);
const rows: { name: string; tokensPerSecond: number }[] = [];
const torchAll = pytorch(CORES);
const torchOne = pytorch(1);
const sgemm = sgemmCeiling();
const ceiling = sgemm?.gflops ?? null;
if (typeof torchAll === 'string') console.log(`PyTorch skipped (${torchAll}); install with: apt-get install -y python3-torch python3-numpy`);
else {
  if (torchAll.parameters !== PARAMS) console.log(`warning: PyTorch model has ${torchAll.parameters} parameters, Feedloop's ${PARAMS}`);
  rows.push({ name: `PyTorch ${torchAll.torch}, ${torchAll.threads} threads`, tokensPerSecond: torchAll.tokensPerSecond });
  if (typeof torchOne !== 'string') rows.push({ name: `PyTorch ${torchOne.torch}, 1 thread`, tokensPerSecond: torchOne.tokensPerSecond });
}
rows.push({ name: 'tfjs-wasm straightforward (batched ops, stock gradients), 1 thread', tokensPerSecond: await straightforward() });
rows.push({ name: 'Feedloop lib/training, 1 thread', tokensPerSecond: await feedloop(1) });
if (CORES > 1) rows.push({ name: `Feedloop lib/training, ${CORES} threads`, tokensPerSecond: await feedloop(CORES) });

const torchBest = typeof torchAll === 'string' ? null : Math.max(torchAll.tokensPerSecond, typeof torchOne === 'string' ? 0 : torchOne.tokensPerSecond);
console.log(`sgemm ceiling (numpy, best of 512²/1024²/2048², all cores): ${sgemm ? `${sgemm.gflops.toFixed(1)} GFLOP/s (${sgemm.via})` : 'not measured (no python3 with numpy)'}`);
console.log('');
console.log(`${'run'.padEnd(70)} ${'tokens/s'.padStart(9)} ${'× PyTorch'.padStart(10)} ${'GFLOP/s'.padStart(8)} ${'MFU'.padStart(6)}`);
for (const row of rows) {
  const gflops = (6 * PARAMS * row.tokensPerSecond) / 1e9;
  const ratio = torchBest ? `${(row.tokensPerSecond / torchBest).toFixed(2)}×` : '–';
  const mfu = ceiling ? `${((100 * gflops) / ceiling).toFixed(1)}%` : '–';
  console.log(`${row.name.padEnd(70)} ${row.tokensPerSecond.toFixed(0).padStart(9)} ${ratio.padStart(10)} ${gflops.toFixed(1).padStart(8)} ${mfu.padStart(6)}`);
}
console.log(JSON.stringify({ parameters: PARAMS, batch: BATCH, steps: STEPS, sgemmGflops: ceiling, rows }));
