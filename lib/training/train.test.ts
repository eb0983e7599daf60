import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, readSafetensors } from './checkpoint.ts';
import { evaluateCheckpointOn } from './evaluate.ts';
import { generate } from './sample.ts';
import { train, type TrainProgress } from './train.ts';

const tiny = { vocabSize: 300, contextLength: 48, layers: 1, width: 32, heads: 2, batchSize: 4, evalEvery: 1000, checkpointEvery: 1000, warmupSteps: 0 };
let dir: string;

const colours = ['red', 'green', 'blue', 'yellow', 'purple'];
function writeJsonl(file: string, rows: unknown[]) {
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-train-'));
  const sft = (i: number) => ({
    messages: [
      { role: 'user', content: `Name colour number ${i % colours.length}.` },
      { role: 'assistant', content: `The colour is ${colours[i % colours.length]}.` },
    ],
  });
  fs.mkdirSync(path.join(dir, 'sft'));
  writeJsonl(path.join(dir, 'sft', 'train.jsonl'), Array.from({ length: 40 }, (_, i) => sft(i)));
  writeJsonl(path.join(dir, 'sft', 'test.jsonl'), Array.from({ length: 10 }, (_, i) => sft(i + 3)));
  // Preference pairs in TRL conversational form: the polite reply is always preferred.
  const pair = (i: number) => ({
    prompt: [{ role: 'user', content: `Question ${i}: what colour is the sky?` }],
    chosen: [{ role: 'assistant', content: `Thank you for asking, it is ${colours[i % 5]}.` }],
    rejected: [{ role: 'assistant', content: `No. Go away ${colours[(i + 1) % 5]}.` }],
  });
  fs.mkdirSync(path.join(dir, 'pref'));
  writeJsonl(path.join(dir, 'pref', 'train.jsonl'), Array.from({ length: 24 }, (_, i) => pair(i)));
  writeJsonl(path.join(dir, 'pref', 'test.jsonl'), Array.from({ length: 8 }, (_, i) => pair(i + 50)));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Real (tiny) training runs: seconds each, longer when the machine is busy.
describe('train', { timeout: 120_000 }, () => {
  it('SFT lowers the held-out loss below the unigram baseline, and the model says what it learned', async () => {
    const out = path.join(dir, 'sft-model');
    const result = await train({ method: 'sft', data: path.join(dir, 'sft'), out, config: { ...tiny, steps: 60, learningRate: 1e-2 }, threads: 1 });
    const [first, last] = [result.metrics[0]!, result.metrics.at(-1)!];
    expect(result.finished).toBe(true);
    expect(last.loss!).toBeLessThan(first.loss! / 2);
    expect(last.loss!).toBeLessThan(result.baseline.unigramLoss!);
    const model = loadCheckpoint(out);
    const reply = generate(model, [{ role: 'user', content: 'Name colour number 2.' }], { temperature: 0, maxTokens: 12 });
    expect(reply.text).toBe('The colour is blue.');
    const figures = await evaluateCheckpointOn('sft', out, path.join(dir, 'sft', 'test.jsonl'));
    expect(figures).toEqual({ tokens: last.tokens, loss: expect.closeTo(last.loss!, 5) });
  });

  it('gives the same losses and held-out figures whether work runs on one thread or is split over two', async () => {
    const run = async (method: 'sft' | 'dpo', threads: number) => {
      const seen: number[] = [];
      const result = await train({
        method,
        data: path.join(dir, method === 'sft' ? 'sft' : 'pref'),
        out: path.join(dir, `${method}-threads-${threads}`),
        init: method === 'dpo' ? path.join(dir, 'sft-threads-1') : null,
        config: { ...tiny, steps: 3 },
        threads,
        onProgress: (p) => seen.push(p.loss),
      });
      return { seen, metrics: result.metrics };
    };
    for (const method of ['sft', 'dpo'] as const) {
      const one = await run(method, 1);
      const two = await run(method, 2);
      two.seen.forEach((loss, i) => expect(loss).toBeCloseTo(one.seen[i]!, 4));
      expect(two.metrics).toHaveLength(one.metrics.length);
      two.metrics.forEach((record, i) => {
        for (const [key, value] of Object.entries(record)) if (typeof value === 'number') expect(value).toBeCloseTo(one.metrics[i]![key] as number, 4);
      });
    }
  });

  it('resumes an interrupted run from its checkpoint and ends where an uninterrupted run ends', async () => {
    const config = { ...tiny, steps: 6 };
    const straight = path.join(dir, 'straight');
    await train({ method: 'sft', data: path.join(dir, 'sft'), out: straight, config, threads: 1 });
    const resumed = path.join(dir, 'resumed');
    const controller = new AbortController();
    const first = await train({
      method: 'sft',
      data: path.join(dir, 'sft'),
      out: resumed,
      config,
      threads: 1,
      signal: controller.signal,
      onProgress: (p: TrainProgress) => p.step === 3 && controller.abort(),
    });
    expect(first).toMatchObject({ finished: false, step: 3 });
    expect(fs.existsSync(path.join(resumed, 'optimizer.safetensors'))).toBe(true);
    const second = await train({ method: 'sft', data: path.join(dir, 'sft'), out: resumed, config, threads: 1 });
    expect(second).toMatchObject({ finished: true, step: 6 });
    const a = readSafetensors(path.join(straight, 'model.safetensors')).tensors;
    const b = readSafetensors(path.join(resumed, 'model.safetensors')).tensors;
    for (const [name, tensor] of a) expect(Array.from(b.get(name)!.dataSync())).toEqual(Array.from(tensor.dataSync()));
  });

  it('trains a reward model from the SFT checkpoint to rank held-out pairs, and DPO raises the implicit-reward margin', async () => {
    const sft = path.join(dir, 'sft-base');
    await train({ method: 'sft', data: path.join(dir, 'sft'), out: sft, config: { ...tiny, steps: 5 }, threads: 1 });
    const rm = await train({ method: 'reward', data: path.join(dir, 'pref'), out: path.join(dir, 'rm'), init: sft, config: { ...tiny, steps: 30, learningRate: 3e-3 }, threads: 1 });
    expect(rm.metrics.at(-1)).toMatchObject({ pairs: 8, accuracy: 1 });
    const dpo = await train({ method: 'dpo', data: path.join(dir, 'pref'), out: path.join(dir, 'dpo'), init: sft, config: { ...tiny, steps: 20, learningRate: 3e-3, beta: 0.1 }, threads: 1 });
    const [before, after] = [dpo.metrics[0]!, dpo.metrics.at(-1)!];
    expect(before.meanMargin).toBeCloseTo(0, 6);
    expect(after.meanMargin!).toBeGreaterThan(0);
    expect(after.accuracy).toBe(1);
    const figures = await evaluateCheckpointOn('dpo', path.join(dir, 'dpo'), path.join(dir, 'pref', 'test.jsonl'));
    expect(figures).toMatchObject({ pairs: 8, accuracy: 1, meanMargin: expect.closeTo(after.meanMargin!, 4) });
  });

  it('refuses DPO without an SFT checkpoint, and a data file of the wrong kind names the line and field', async () => {
    await expect(train({ method: 'dpo', data: path.join(dir, 'pref'), out: path.join(dir, 'x'), config: tiny })).rejects.toThrow(/--init <sft checkpoint dir>/);
    await expect(train({ method: 'sft', data: path.join(dir, 'pref'), out: path.join(dir, 'y'), config: tiny })).rejects.toThrow(/train\.jsonl:1: messages: is missing/);
  });
});
