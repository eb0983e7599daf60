/**
 * Generation off the web server's event loop: a worker thread that loads checkpoints (the two
 * most recently used stay in memory) and streams each reply back as it grows. Requests are
 * handled one at a time, in the order they arrive.
 */
import { parentPort } from 'node:worker_threads';
import { tensorflow, tf } from '../training/backend.ts';
import { loadCheckpoint, type Checkpoint } from '../training/checkpoint.ts';
import { generate, type SamplingOptions } from '../training/sample.ts';
import type { ChatTurn } from '../training/tokenizer.ts';

export type InferenceRequest = { id: number; checkpoint: string; prompt: ChatTurn[]; options: SamplingOptions };
export type InferenceReply =
  | { id: number; type: 'delta'; text: string }
  | { id: number; type: 'done'; text: string; tokens: number; promptTokens: number; finishReason: 'stop' | 'length' }
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

port.on('message', (request: InferenceRequest) => {
  queue = queue.then(async () => {
    try {
      await tensorflow();
      const result = generate(model(request.checkpoint), request.prompt, request.options, (text) => port.postMessage({ id: request.id, type: 'delta', text } satisfies InferenceReply));
      port.postMessage({ id: request.id, type: 'done', ...result } satisfies InferenceReply);
    } catch (error) {
      port.postMessage({ id: request.id, type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies InferenceReply);
    }
  });
});
