/**
 * The web server's handle on the inference worker. The worker is started on first use and
 * loads lib/training through tsx, so the server bundle never includes TensorFlow.js.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SamplingOptions } from '../training/sample.ts';
import type { ChatTurn } from '../training/tokenizer.ts';
import { tsxWorker } from '../tsx-worker.ts';
import type { InferenceReply, InferenceRequest, WireScoringItem } from './inference-worker.ts';

export interface Completion {
  text: string;
  tokens: number;
  promptTokens: number;
  finishReason: 'stop' | 'length';
}

export interface CompleteHooks {
  /** Receives the reply as it grows. */
  onText?: (delta: string) => void;
  /** Aborting stops the work in the worker at its next token and rejects with InferenceCancelled. */
  signal?: AbortSignal;
  /**
   * How long the writing may take, counted from when the worker starts it (not while queued);
   * past it the worker stops at its next token and the call rejects with InferenceTimedOut.
   */
  timeLimitMs?: number;
}

export interface Inference {
  complete(checkpoint: string, prompt: ChatTurn[], options: SamplingOptions, hooks?: CompleteHooks): Promise<Completion>;
  /** A reward checkpoint's reward for every candidate of `items`, by candidate id. */
  rewards(checkpoint: string, items: ScoringItem[], signal?: AbortSignal): Promise<Map<string, number>>;
  /** Tokens this worker has written, including those of replies cut short: what a stopped reply cost. */
  stats(): { completionTokens: number };
}

/** The caller's signal ended the request; `reason` is the signal's (a TimeoutError for AbortSignal.timeout). */
export class InferenceCancelled extends Error {
  constructor(readonly reason: unknown) {
    super('the request was cancelled');
    // An AbortError like fetch's, so that route handlers answer a client who left without logging a failure.
    this.name = 'AbortError';
  }
}

/** The reply ran out of its time limit; `partial` holds what was written until then. */
export class InferenceTimedOut extends Error {
  constructor(readonly partial: Completion) {
    super('the reply was not finished within its time limit');
    this.name = 'InferenceTimedOut';
  }
}

/** Candidates of one prompt to score. */
export interface ScoringItem {
  prompt: ChatTurn[];
  candidates: ReadonlyMap<string, string>;
}

/** A couple of seconds at the default model size (about 140 ms a candidate measured on a busy 2-core machine); far less for small models. */
const SCORING_SLICE_CANDIDATES = 16;

/** Consecutive runs of items with about `candidates` candidates each (an item is never split). */
export function slices(items: ScoringItem[], candidates: number): ScoringItem[][] {
  const out: ScoringItem[][] = [];
  let current: ScoringItem[] = [];
  let size = 0;
  for (const item of items) {
    current.push(item);
    size += item.candidates.size;
    if (size >= candidates) {
      out.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

type Pending = { onText?: (delta: string) => void; settle: (reply: InferenceReply) => void; reject: (e: Error) => void };
type Work = { type: 'complete'; checkpoint: string; prompt: ChatTurn[]; options: SamplingOptions; timeLimitMs?: number } | { type: 'rewards'; checkpoint: string; items: WireScoringItem[] };

function startWorker(): Inference {
  // Resolved from the repository root at run time: inside a Next bundle import.meta.url points elsewhere.
  const root = process.env.FEEDLOOP_ROOT ?? process.cwd();
  const workerUrl = pathToFileURL(path.join(root, 'lib/serving/inference-worker.ts')).href;
  const tsxUrl = pathToFileURL(path.join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).href;
  const worker = tsxWorker(workerUrl, tsxUrl);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let completionTokens = 0;
  worker.on('message', (reply: InferenceReply) => {
    // Counted also for requests their caller has given up on: the worker wrote those tokens.
    if (reply.type === 'done' || reply.type === 'cancelled' || reply.type === 'timedOut') completionTokens += reply.tokens;
    const request = pending.get(reply.id);
    if (!request) return;
    if (reply.type === 'delta') request.onText?.(reply.text);
    else {
      pending.delete(reply.id);
      if (reply.type === 'error') request.reject(new Error(reply.message));
      else request.settle(reply);
    }
  });
  let dead: Error | null = null;
  // A worker that crashed or exited fails what it was doing; the next request starts a new one.
  const fail = (error: Error) => {
    dead ??= error;
    for (const request of pending.values()) request.reject(error);
    pending.clear();
    if (shared.inference === handle) shared.inference = null;
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the inference worker stopped (exit code ${code})`)));

  function send(work: Work, signal: AbortSignal | undefined, onText?: (delta: string) => void): Promise<InferenceReply> {
    return new Promise((resolve, reject) => {
      if (dead) return reject(dead);
      if (signal?.aborted) return reject(new InferenceCancelled(signal.reason));
      const id = nextId++;
      const cancel = new SharedArrayBuffer(4);
      const onAbort = () => {
        // The worker sees the flag at its next token or item; the caller need not wait for that.
        Atomics.store(new Int32Array(cancel), 0, 1);
        pending.delete(id);
        reject(new InferenceCancelled(signal!.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal?.removeEventListener('abort', onAbort);
      pending.set(id, {
        onText,
        settle: (reply) => {
          cleanup();
          resolve(reply);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      worker.postMessage({ id, cancel, ...work } satisfies InferenceRequest);
    });
  }

  const unexpected = (reply: InferenceReply) => new Error(`the inference worker answered "${reply.type}" out of turn`);
  const handle: Inference = {
    async complete(checkpoint, prompt, options, hooks = {}) {
      const reply = await send({ type: 'complete', checkpoint, prompt, options, timeLimitMs: hooks.timeLimitMs }, hooks.signal, hooks.onText);
      if (reply.type === 'timedOut') throw new InferenceTimedOut({ text: reply.text, tokens: reply.tokens, promptTokens: reply.promptTokens, finishReason: 'length' });
      if (reply.type !== 'done') throw unexpected(reply);
      return { text: reply.text, tokens: reply.tokens, promptTokens: reply.promptTokens, finishReason: reply.finishReason };
    },
    async rewards(checkpoint, items, signal) {
      // A slice at a time, so that chat completions queued meanwhile wait for one slice, not the
      // whole project (the worker takes requests in turn).
      const rewards = new Map<string, number>();
      for (const slice of slices(items, SCORING_SLICE_CANDIDATES)) {
        const wire = slice.map((item) => ({ prompt: item.prompt, candidates: [...item.candidates] }));
        const reply = await send({ type: 'rewards', checkpoint, items: wire }, signal);
        if (reply.type !== 'rewards') throw unexpected(reply);
        for (const [id, value] of reply.rewards) rewards.set(id, value);
      }
      return rewards;
    },
    stats: () => ({ completionTokens }),
  };
  return handle;
}

// One worker per process, also across Next's module reloads in development.
const shared = globalThis as typeof globalThis & { inference?: Inference | null };

export function inference(): Inference {
  shared.inference ??= startWorker();
  return shared.inference;
}
