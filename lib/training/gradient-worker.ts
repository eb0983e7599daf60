/**
 * A worker thread holding a replica of the model. Each step it receives the current weights
 * (when they changed) and a shard of the batch, and sends back the shard's loss and gradients.
 * One thread runs wasm single-threaded, so this is how training uses the machine's other cores.
 */
import { parentPort } from 'node:worker_threads';
import { tensorflow, tf } from './backend.ts';
import type { ModelConfig } from './config.ts';
import type { Completion, SftExample } from './data.ts';
import { scoreExamples, withViews, type ScoreKind } from './evaluate.ts';
import { parameterShapes, weightViews } from './model.ts';
import { shardLoss, type Shard, type TrainingMethod } from './objectives.ts';

export type WorkerRequest =
  | { type: 'init'; config: ModelConfig; method: TrainingMethod; beta: number; nllWeight: number }
  | { type: 'step'; weights: Record<string, Float32Array> | null; shard: Shard }
  | { type: 'score'; weights: Record<string, Float32Array>; examples: (SftExample | Completion)[]; kind: ScoreKind };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'gradients'; loss: number; grads: Record<string, Float32Array> }
  | { type: 'scores'; values: number[] }
  | { type: 'error'; message: string };

let setup: Extract<WorkerRequest, { type: 'init' }> | null = null;
const variables = new Map<string, tf.Variable>();
const port = parentPort!;

port.on('message', (request: WorkerRequest) => {
  void handle(request).catch((error: unknown) => port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply));
});

async function handle(request: WorkerRequest) {
  if (request.type === 'init') {
    await tensorflow();
    setup = request;
    for (const [name, shape] of parameterShapes(request.config)) variables.set(name, tf.variable(tf.zeros(shape), true, `replica/${name}`));
    port.postMessage({ type: 'ready' } satisfies WorkerReply);
    return;
  }
  if (!setup) throw new Error('the gradient worker got a step before init');
  const { config, method, beta, nllWeight } = setup;
  if (request.weights) {
    for (const [name, values] of Object.entries(request.weights)) {
      const variable = variables.get(name)!;
      tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
    }
  }
  if (request.type === 'score') {
    // The replica now holds the weights to score with (e.g. DPO's reference); the next step sends the policy's again.
    port.postMessage({ type: 'scores', values: withViews(config, variables, (views) => scoreExamples(views, request.examples, request.kind)) } satisfies WorkerReply);
    return;
  }
  const list = [...variables.values()];
  const { value, grads } = tf.variableGrads(() => shardLoss(method, weightViews(config, variables), request.shard, { beta, nllWeight }), list);
  const out: Record<string, Float32Array> = {};
  for (const [name, variable] of variables) {
    const grad = grads[variable.name];
    if (grad) out[name] = grad.dataSync() as Float32Array;
  }
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  port.postMessage({ type: 'gradients', loss, grads: out } satisfies WorkerReply, Object.values(out).map((a) => a.buffer as ArrayBuffer));
}
