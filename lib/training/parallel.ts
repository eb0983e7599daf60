/**
 * Data parallelism over worker threads: the batch is split into shards, the main thread
 * computes one shard while each worker computes another on its own replica, and the
 * gradients are summed (each shard's loss is already divided by the whole batch's size).
 * Weights are sent to the workers only after they change, i.e. once per step.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { tsxWorker } from '../tsx-worker.ts';
import { tf } from './backend.ts';
import type { ModelConfig } from './config.ts';
import type { WorkerReply, WorkerRequest } from './gradient-worker.ts';
import type { Completion, SftExample } from './data.ts';
import type { ScoreKind } from './evaluate.ts';
import type { Shard, TrainingMethod } from './objectives.ts';

/** Threads to train with: one per core by default, FEEDLOOP_TRAIN_THREADS to override. */
export function trainingThreads(env: Record<string, string | undefined> = process.env): number {
  const asked = Number(env.FEEDLOOP_TRAIN_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return asked;
  return Math.max(1, os.availableParallelism());
}

const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER = new URL('./gradient-worker.ts', import.meta.url).href;

class Replica {
  private pending: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending;
      this.pending = null;
      if (!pending) return;
      if (reply.type === 'error') pending.reject(new Error(`training worker: ${reply.message}`));
      else pending.resolve(reply);
    });
    worker.on('error', (error) => {
      this.pending?.reject(error);
      this.pending = null;
    });
  }

  request(message: WorkerRequest): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
  }

  terminate() {
    return this.worker.terminate();
  }
}

export class GradientPool {
  private constructor(private readonly replicas: Replica[]) {}

  get size(): number {
    return this.replicas.length;
  }

  static async start(count: number, init: { config: ModelConfig; method: TrainingMethod; beta: number; nllWeight: number }): Promise<GradientPool> {
    const replicas = Array.from({ length: count }, () => {
      return new Replica(tsxWorker(WORKER, TSX_API));
    });
    const pool = new GradientPool(replicas);
    try {
      await Promise.all(replicas.map((r) => r.request({ type: 'init', ...init })));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /**
   * Starts the workers on their shards and returns a promise of their losses and gradients;
   * the caller computes its own shard meanwhile. `weights` are the current parameters.
   */
  dispatch(weights: Map<string, tf.Tensor>, shards: Shard[]): Promise<{ loss: number; grads: Record<string, Float32Array> }[]> {
    const values = arraysOf(weights);
    return Promise.all(
      shards.map(async (shard, i) => {
        const reply = await this.replicas[i]!.request({ type: 'step', weights: values, shard });
        if (reply.type !== 'gradients') throw new Error('training worker: unexpected reply');
        return reply;
      }),
    );
  }

  /** Scores each part of `parts` on one worker with `weights`; the caller scores its own part meanwhile. */
  score(weights: Map<string, tf.Tensor>, parts: (SftExample | Completion)[][], kind: ScoreKind): Promise<number[][]> {
    const values = arraysOf(weights);
    return Promise.all(
      parts.map(async (examples, i) => {
        const reply = await this.replicas[i]!.request({ type: 'score', weights: values, examples, kind });
        if (reply.type !== 'scores') throw new Error('training worker: unexpected reply');
        return reply.values;
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.terminate()));
  }
}

function arraysOf(weights: Map<string, tf.Tensor>): Record<string, Float32Array> {
  const values: Record<string, Float32Array> = {};
  for (const [name, tensor] of weights) values[name] = tensor.dataSync() as Float32Array;
  return values;
}

/** Splits a batch into `parts` shards of nearly equal work (by tokens), keeping the batch's denominator. */
export function shardBatch<E>(examples: E[], parts: number, weight: (e: E) => number): E[][] {
  const shards: E[][] = Array.from({ length: parts }, () => []);
  const load = new Array<number>(parts).fill(0);
  const order = examples.map((e, i) => [weight(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [w, i] of order) {
    let best = 0;
    for (let p = 1; p < parts; p++) if (load[p]! < load[best]!) best = p;
    shards[best]!.push(examples[i]!);
    load[best]! += w;
  }
  return shards;
}
