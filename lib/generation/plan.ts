/**
 * What a generation run has to do and how it does it, apart from storage: for every item and
 * endpoint, ask for the answers still missing (so a re-run fills only the gaps), a bounded
 * number of items at a time, and keep an item's answers from one endpoint all-or-nothing.
 */
import { chatCompletion, EmptyAnswer, type CallPolicy, type Endpoint, type Sampling } from './client.ts';
import { mapBounded } from './concurrency.ts';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export interface GenerationItem {
  id: string;
  messages: ChatMessage[];
}

export interface EndpointSpec {
  id: string;
  name: string;
  endpoint: Endpoint;
  sampling: Sampling;
  /** Answers wanted per item from this endpoint. */
  n: number;
}

export interface GenerationTask {
  item: GenerationItem;
  spec: EndpointSpec;
  missing: number;
}

export interface ItemFailure {
  itemId: string;
  endpoint: string;
  reason: string;
}

export const taskKey = (itemId: string, endpointId: string) => `${itemId}\u0000${endpointId}`;

/**
 * `totals` (candidates an item has from any source) caps what is asked for at `maxPerItem`, so
 * no call is paid for an answer there is no room to store.
 */
export function planTasks(
  items: GenerationItem[],
  specs: EndpointSpec[],
  existing: Map<string, number>,
  totals: Map<string, number> = new Map(),
  maxPerItem = Infinity,
): GenerationTask[] {
  const tasks: GenerationTask[] = [];
  for (const item of items) {
    let room = maxPerItem - (totals.get(item.id) ?? 0);
    for (const spec of specs) {
      const missing = Math.min(spec.n - (existing.get(taskKey(item.id, spec.id)) ?? 0), room);
      if (missing > 0) {
        tasks.push({ item, spec, missing });
        room -= missing;
      }
    }
  }
  return tasks;
}

/** Seeds tried for one answer that keeps coming back empty, before the item is listed as failed. */
export const EMPTY_ANSWER_DRAWS = 3;
const RESEED_STRIDE = 1_000_003;

export interface RunOptions {
  concurrency: number;
  policy: CallPolicy;
  /** Stores one task's answers; called only when all of them arrived. */
  save: (task: GenerationTask, answers: { content: string; seed: number }[]) => Promise<void>;
  onProgress?: (progress: { done: number; failed: number; total: number }) => void;
  /** Aborts calls in flight and stores nothing more (a cancelled run). */
  signal?: AbortSignal;
  /** Starts no new task; tasks in flight go on and are stored (a worker handing the run over). */
  drain?: AbortSignal;
  call?: typeof chatCompletion;
}

export async function runTasks(tasks: GenerationTask[], options: RunOptions): Promise<{ done: number; failures: ItemFailure[]; cancelled: boolean }> {
  const call = options.call ?? chatCompletion;
  const failures: ItemFailure[] = [];
  let done = 0;
  await mapBounded(tasks, options.concurrency, async (task) => {
    if (options.signal?.aborted || options.drain?.aborted) return;
    try {
      const answers: { content: string; seed: number }[] = [];
      for (let k = 0; k < task.missing; k++) {
        // Distinct seeds, so an endpoint that honours them gives distinct, reproducible answers.
        const first = (task.spec.sampling.seed ?? 0) + k + (task.spec.n - task.missing);
        for (let draw = 0; ; draw++) {
          // An empty answer comes back the same for the same seed: a fresh one, far from the other answers' seeds.
          const seed = first + draw * RESEED_STRIDE;
          try {
            answers.push({ content: await call(task.spec.endpoint, task.item.messages, { ...task.spec.sampling, seed }, { ...options.policy, signal: options.signal }), seed });
            break;
          } catch (error) {
            if (!(error instanceof EmptyAnswer) || draw + 1 >= EMPTY_ANSWER_DRAWS) throw error;
          }
        }
      }
      // A cancel that came while the answers were arriving wins: nothing more is stored.
      if (options.signal?.aborted) return;
      await options.save(task, answers);
      done += 1;
    } catch (error) {
      if (options.signal?.aborted) return;
      failures.push({ itemId: task.item.id, endpoint: task.spec.name, reason: error instanceof Error ? error.message : String(error) });
    }
    options.onProgress?.({ done, failed: failures.length, total: tasks.length });
  });
  return { done, failures, cancelled: options.signal?.aborted ?? false };
}
