import { describe, expect, it } from 'vitest';
import { CallError, EmptyAnswer } from './client.ts';
import { EMPTY_ANSWER_DRAWS, planTasks, runTasks, taskKey, type EndpointSpec, type GenerationItem } from './plan.ts';

const items: GenerationItem[] = ['a', 'b', 'c'].map((id) => ({ id, messages: [{ role: 'user', content: `question ${id}` }] }));
const spec = (id: string, n: number): EndpointSpec => ({ id, name: `endpoint ${id}`, endpoint: { baseUrl: 'http://127.0.0.1:1/v1', model: 'm', apiKey: null }, sampling: { temperature: 0.7 }, n });
const policy = { timeoutMs: 1000, retries: 0, backoffMs: 1, maxBackoffMs: 1 };

describe('generation plan', () => {
  it('asks only for the answers still missing per item and endpoint', () => {
    const existing = new Map([
      [taskKey('a', 'e1'), 2],
      [taskKey('b', 'e1'), 1],
      [taskKey('a', 'e2'), 5],
    ]);
    const tasks = planTasks(items, [spec('e1', 2), spec('e2', 1)], existing);
    expect(tasks.map((t) => [t.item.id, t.spec.id, t.missing])).toEqual([
      ['b', 'e1', 1],
      ['b', 'e2', 1],
      ['c', 'e1', 2],
      ['c', 'e2', 1],
    ]);
  });

  it('never asks for more answers than an item has room for', () => {
    const totals = new Map([
      ['a', 9],
      ['b', 8],
    ]);
    const tasks = planTasks(items, [spec('e1', 2), spec('e2', 2)], new Map(), totals, 9);
    expect(tasks.map((t) => [t.item.id, t.spec.id, t.missing])).toEqual([
      ['b', 'e1', 1],
      ['c', 'e1', 2],
      ['c', 'e2', 2],
    ]);
  });

  it('stores an item only when all its answers arrived, lists each failed item with its reason, and uses distinct seeds', async () => {
    const saved: { item: string; seeds: number[] }[] = [];
    const progress: number[] = [];
    const result = await runTasks(planTasks(items, [spec('e1', 2)], new Map()), {
      concurrency: 2,
      policy,
      call: async (_endpoint, messages, sampling) => {
        if (messages[0]!.content === 'question b' && sampling.seed === 1) throw new CallError('HTTP 500: boom (after 4 attempts)', true);
        return `answer to ${messages[0]!.content} with seed ${sampling.seed}`;
      },
      save: async (task, answers) => void saved.push({ item: task.item.id, seeds: answers.map((a) => a.seed) }),
      onProgress: (p) => progress.push(p.done + p.failed),
    });
    expect(result.done).toBe(2);
    expect(result.failures).toEqual([{ itemId: 'b', endpoint: 'endpoint e1', reason: 'HTTP 500: boom (after 4 attempts)' }]);
    expect(saved.sort((x, y) => x.item.localeCompare(y.item))).toEqual([
      { item: 'a', seeds: [0, 1] },
      { item: 'c', seeds: [0, 1] },
    ]);
    expect(progress.at(-1)).toBe(3);
  });

  it('a re-run that finds one answer already stored asks for the next seed, not the same answer again', async () => {
    const seeds: number[] = [];
    await runTasks(planTasks([items[0]!], [spec('e1', 2)], new Map([[taskKey('a', 'e1'), 1]])), {
      concurrency: 1,
      policy,
      call: async (_e, _m, sampling) => {
        seeds.push(sampling.seed!);
        return 'x';
      },
      save: async () => {},
    });
    expect(seeds).toEqual([1]);
  });

  it('draws a fresh seed when an answer comes back empty, records the seed that gave the answer, and gives up after a few', async () => {
    const saved: { item: string; seeds: number[] }[] = [];
    const asked: Record<string, number[]> = {};
    const result = await runTasks(planTasks(items.slice(0, 2), [spec('e1', 1)], new Map()), {
      concurrency: 1,
      policy,
      call: async (_e, messages, sampling) => {
        const question = messages[0]!.content;
        (asked[question] ??= []).push(sampling.seed!);
        // "a" answers on its second seed; "b" never does.
        if (question === 'question b' || asked[question]!.length < 2) throw new EmptyAnswer('the answer is empty', false);
        return 'an answer';
      },
      save: async (task, answers) => void saved.push({ item: task.item.id, seeds: answers.map((a) => a.seed) }),
    });
    expect(asked['question a']).toEqual([0, 1_000_003]);
    expect(saved).toEqual([{ item: 'a', seeds: [1_000_003] }]);
    expect(asked['question b']).toHaveLength(EMPTY_ANSWER_DRAWS);
    expect(result.failures).toEqual([{ itemId: 'b', endpoint: 'endpoint e1', reason: 'the answer is empty' }]);
  });

  it('a drain lets the task in flight finish and be stored, and starts no other', async () => {
    const drain = new AbortController();
    const saved: string[] = [];
    const result = await runTasks(planTasks(items, [spec('e1', 1)], new Map()), {
      concurrency: 1,
      policy,
      drain: drain.signal,
      call: async () => {
        // The worker is told to stop while the first call is out.
        drain.abort();
        return 'x';
      },
      save: async (task) => void saved.push(task.item.id),
    });
    expect(saved).toEqual(['a']);
    expect(result).toMatchObject({ done: 1, failures: [], cancelled: false });
  });
});
