/**
 * npm run train -- sft|reward|dpo --data <export dir or .jsonl> --out <checkpoint dir>
 *                  [--init <sft checkpoint>] [--config <file.json>] [--steps N --batch-size N
 *                  --learning-rate X --layers N --width N --heads N --context-length N …] [--json]
 *
 * Shows a progress bar (step, loss, tokens/s, ETA) on stderr; Ctrl-C saves a checkpoint and
 * the same command resumes from it. With --json, progress and evaluations are JSON lines on
 * stdout. The last line is always a JSON summary.
 */
import { parseArgs } from 'node:util';
import { progressBar } from '../lib/cli/progress.ts';
import { formatDuration, TRAIN_FLAGS, trainConfigFromCli } from '../lib/training/cli-options.ts';
import { train, type TrainingMethod } from '../lib/training/train.ts';

const USAGE = 'usage: npm run train -- sft|reward|dpo --data <export dir> --out <checkpoint dir> [--init <dir>] [--config <file>] [--steps N …] [--json]';

function fail(message: string): never {
  console.error(`train: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main() {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        init: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        ...Object.fromEntries(TRAIN_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  const method = positionals[0];
  if (method !== 'sft' && method !== 'reward' && method !== 'dpo') fail(`the first argument must be sft, reward or dpo${method ? `, not "${method}"` : ''}`);
  if (typeof values.data !== 'string') fail('--data is required');
  if (typeof values.out !== 'string') fail('--out is required');
  let config;
  try {
    config = trainConfigFromCli(values.config as string | undefined, values as Record<string, string | boolean | undefined>);
  } catch (error) {
    fail((error as Error).message);
  }

  const json = values.json === true;
  const controller = new AbortController();
  process.once('SIGINT', () => {
    console.error('\ntrain: stopping after this step and saving a checkpoint… (Ctrl-C again to quit at once)');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  process.once('SIGTERM', () => controller.abort());
  if (process.env.FEEDLOOP_TRAINER_SUPERVISED === '1') {
    // Started by a worker: if that worker dies (killed, out of memory), save a checkpoint and
    // stop, so that the worker resuming the run is the only one writing to this folder.
    const parent = process.ppid;
    // Its pipes close with it: a line written to them must not crash the run before it saves.
    process.stdout.on('error', () => {});
    process.stderr.on('error', () => {});
    setInterval(() => {
      if (process.ppid !== parent) controller.abort();
    }, 500).unref();
  }
  const bar = progressBar(method);
  const result = await train({
    method: method as TrainingMethod,
    data: values.data,
    out: values.out,
    init: typeof values.init === 'string' ? values.init : null,
    config,
    signal: controller.signal,
    onLog: (line) => console.error(line),
    onProgress: (p) => {
      if (json) console.log(JSON.stringify({ type: 'progress', ...p }));
      else bar.update(p.step / p.steps, `step ${p.step}/${p.steps} loss ${p.loss.toFixed(4)} ${Math.round(p.tokensPerSecond).toLocaleString('en')} tok/s ETA ${formatDuration(p.etaSeconds)}`);
    },
    onEval: (record) => {
      if (json) console.log(JSON.stringify({ type: 'eval', ...record }));
      else console.error(`\n${method} eval @ step ${record.step}: ${Object.entries(record).filter(([k]) => k !== 'step').map(([k, v]) => `${k} ${typeof v === 'number' ? Number(v.toFixed(4)) : v}`).join(', ')}`);
    },
  });
  bar.done();
  const last = result.metrics.at(-1);
  console.log(JSON.stringify({ type: 'result', method, out: result.out, step: result.step, finished: result.finished, parameters: result.parameters, baseline: result.baseline, eval: last ?? null }));
  if (!result.finished) process.exitCode = 130;
}

main().catch((error: unknown) => {
  console.error(`train: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
