/**
 * Generation and reward scoring off the web server's event loop: a worker thread that loads
 * checkpoints (the two most recently used stay in memory), streams each reply back as it grows,
 * and scores candidates with a reward model. Requests are handled one at a time, in
 * the order they arrive.
 *
 * The work is synchronous inside this thread, so a message cannot interrupt it: each request
 * brings a one-cell SharedArrayBuffer the server sets to non-zero to cancel it (client gone,
 * time limit passed), read between tokens and between items.
 */
import { parentPort } from 'node:worker_threads';
import { tensorflow, tf } from '../training/backend.ts';
import { loadCheckpoint, type Checkpoint } from '../training/checkpoint.ts';
import { scoreCandidates } from '../training/candidate-rewards.ts';
import { generate, type SamplingOptions } from '../training/sample.ts';
import type { ChatTurn } from '../training/tokenizer.ts';

/** Candidates to score, as they cross the thread boundary: plain arrays, the same shape JSON would carry. */
export interface WireScoringItem {
  prompt: ChatTurn[];
  candidates: [id: string, text: string][];
}

export type InferenceRequest =
  | { id: number; type: 'complete'; checkpoint: string; prompt: ChatTurn[]; options: SamplingOptions; timeLimitMs?: number; cancel: SharedArrayBuffer }
  | { id: number; type: 'rewards'; checkpoint: string; items: WireScoringItem[]; cancel: SharedArrayBuffer };

export type InferenceReply =
  | { id: number; type: 'delta'; text: string }
  | { id: number; type: 'done'; text: string; tokens: number; promptTokens: number; finishReason: 'stop' | 'length' }
  | { id: number; type: 'rewards'; rewards: [id: string, reward: number][] }
  /** Stopped: by the caller (`cancelled`), or at its time limit with the text written so far (`timedOut`). */
  | { id: number; type: 'cancelled'; tokens: number }
  | { id: number; type: 'timedOut'; text: string; tokens: number; promptTokens: number }
  | { id: number; type: 'error'; message: string };

const port = parentPort!;
const loaded = new Map<string, Checkpoint>();
let queue = Promise.resolve();

function model(dir: string): Checkpoint {
  let checkpoint = loaded.get(dir);
  if (checkpoint) loaded.delete(dir);
  else {
    checkpoint = loadCheckpoint(dir);
    if (loaded.size >= 2) {
      const [oldest, old] = loaded.entries().next().value as [string, Checkpoint];
      loaded.delete(oldest);
      tf.dispose([...old.params.values()]);
    }
  }
  loaded.set(dir, checkpoint);
  return checkpoint;
}

function handle(request: InferenceRequest, cancelled: () => boolean): InferenceReply {
  // Cancelled while it waited behind other requests: nothing to do.
  if (cancelled()) return { id: request.id, type: 'cancelled', tokens: 0 };
  if (request.type === 'rewards') {
    const rewards = new Map<string, number>();
    const items = request.items.map((item) => ({ prompt: item.prompt, candidates: new Map(item.candidates) }));
    const finished = scoreCandidates(model(request.checkpoint), items, rewards, cancelled);
    return finished ? { id: request.id, type: 'rewards', rewards: [...rewards] } : { id: request.id, type: 'cancelled', tokens: 0 };
  }
  const checkpoint = model(request.checkpoint);
  // The time limit counts writing only, from here: time queued behind other requests or spent
  // loading the checkpoint says nothing about whether a shorter reply would fit.
  const deadline = request.timeLimitMs === undefined ? Infinity : Date.now() + request.timeLimitMs;
  let late = false;
  const result = generate(
    checkpoint,
    request.prompt,
    request.options,
    (text) => port.postMessage({ id: request.id, type: 'delta', text } satisfies InferenceReply),
    () => cancelled() || (late ||= Date.now() > deadline),
  );
  if (cancelled()) return { id: request.id, type: 'cancelled', tokens: result.tokens };
  if (late) return { id: request.id, type: 'timedOut', text: result.text, tokens: result.tokens, promptTokens: result.promptTokens };
  return { id: request.id, type: 'done', ...result };
}

port.on('message', (request: InferenceRequest) => {
  const flag = new Int32Array(request.cancel);
  const cancelled = () => Atomics.load(flag, 0) !== 0;
  queue = queue.then(async () => {
    try {
      await tensorflow();
      port.postMessage(handle(request, cancelled) satisfies InferenceReply);
    } catch (error) {
      port.postMessage({ id: request.id, type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies InferenceReply);
    }
  });
});
