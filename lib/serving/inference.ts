/**
 * The web server's handle on the inference worker. The worker is started on first use and
 * loads lib/training through tsx, so the server bundle never includes TensorFlow.js.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SamplingOptions } from '../training/sample.ts';
import type { ChatTurn } from '../training/tokenizer.ts';
import { tsxWorker } from '../tsx-worker.ts';
import type { InferenceReply } from './inference-worker.ts';

export interface Completion {
  text: string;
  tokens: number;
  promptTokens: number;
  finishReason: 'stop' | 'length';
}

export interface Inference {
  complete(checkpoint: string, prompt: ChatTurn[], options: SamplingOptions, onText?: (delta: string) => void): Promise<Completion>;
}

type Pending = { onText?: (delta: string) => void; resolve: (c: Completion) => void; reject: (e: Error) => void };

function startWorker(): Inference {
  // Resolved from the repository root at run time: inside a Next bundle import.meta.url points elsewhere.
  const root = process.env.FEEDLOOP_ROOT ?? process.cwd();
  const workerUrl = pathToFileURL(path.join(root, 'lib/serving/inference-worker.ts')).href;
  const tsxUrl = pathToFileURL(path.join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).href;
  const worker = tsxWorker(workerUrl, tsxUrl);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  worker.on('message', (reply: InferenceReply) => {
    const request = pending.get(reply.id);
    if (!request) return;
    if (reply.type === 'delta') request.onText?.(reply.text);
    else {
      pending.delete(reply.id);
      if (reply.type === 'error') request.reject(new Error(reply.message));
      else request.resolve({ text: reply.text, tokens: reply.tokens, promptTokens: reply.promptTokens, finishReason: reply.finishReason });
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
  const handle: Inference = {
    complete(checkpoint, prompt, options, onText) {
      return new Promise((resolve, reject) => {
        if (dead) return reject(dead);
        const id = nextId++;
        pending.set(id, { onText, resolve, reject });
        worker.postMessage({ id, checkpoint, prompt, options });
      });
    },
  };
  return handle;
}

// One worker per process, also across Next's module reloads in development.
const shared = globalThis as typeof globalThis & { inference?: Inference | null };

export function inference(): Inference {
  shared.inference ??= startWorker();
  return shared.inference;
}
