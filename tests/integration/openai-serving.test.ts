import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../lib/auth/api-tokens.ts';
import { endpointInput, saveEndpoint } from '../../lib/generation/endpoints.ts';
import { enqueueGenerationRun, generationInput } from '../../lib/generation/runs.ts';
import { claimNext } from '../../lib/queue/claim.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { handleChatCompletions, handleListModels } from '../../lib/serving/chat-completions.ts';
import { inference } from '../../lib/serving/inference.ts';
import { tensorflow, tf } from '../../lib/training/backend.ts';
import { loadCheckpoint, saveCheckpoint } from '../../lib/training/checkpoint.ts';
import { initParams } from '../../lib/training/model.ts';
import { generate } from '../../lib/training/sample.ts';
import { trainTokenizer } from '../../lib/training/tokenizer.ts';
import { train } from '../../lib/training/train.ts';
import { freshDatabase, type TestDatabase } from './database.ts';
import { runToEnd } from './jobs.ts';

let t: TestDatabase;
let server: http.Server;
let baseURL: string;
let token: string;
let sftRunId: string;
let rewardRunId: string;
let slowRunId: string;
let dir: string;
let requestsSeen = 0;

/** The same handlers the Next routes call, behind a bare Node server, so the official client can talk to them. */
function serve(db: TestDatabase['db']): Promise<string> {
  server = http.createServer(async (req, res) => {
    requestsSeen++;
    const url = `http://${req.headers.host}${req.url}`;
    // As Next does: the request's signal fires when the client goes away before the answer is complete.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === 'GET' ? undefined : (Readable.toWeb(req) as ReadableStream),
      duplex: 'half',
      signal: gone.signal,
    } as RequestInit);
    const response = req.url?.endsWith('/models') ? await handleListModels(db, request) : await handleChatCompletions(db, request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) res.write(part);
    res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`)));
}

beforeAll(async () => {
  t = await freshDatabase();
  await seedDemo(t.db);
  const admin = await t.db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } });
  token = (await createApiToken(t.db, admin.id, { name: 'generator', scopes: ['inference'] })).token;

  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-serving-'));
  const colours = ['red', 'green', 'blue'];
  const rows = Array.from({ length: 30 }, (_, i) => ({
    messages: [
      { role: 'user', content: `Name colour number ${i % 3}.` },
      { role: 'assistant', content: `The colour is ${colours[i % 3]}.` },
    ],
  }));
  fs.writeFileSync(path.join(dir, 'sft.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  const tiny = { vocabSize: 300, contextLength: 48, layers: 1, width: 32, heads: 2, batchSize: 4, warmupSteps: 0, evalEvery: 1000 };
  await train({ method: 'sft', data: path.join(dir, 'sft.jsonl'), out: path.join(dir, 'sft'), config: { ...tiny, steps: 60, learningRate: 1e-2 }, threads: 1 });
  sftRunId = (await t.db.trainingRun.create({ data: { kind: 'SFT', status: 'SUCCEEDED', checkpointPath: path.join(dir, 'sft'), createdById: admin.id } })).id;
  rewardRunId = (await t.db.trainingRun.create({ data: { kind: 'REWARD', status: 'SUCCEEDED', checkpointPath: path.join(dir, 'sft'), createdById: admin.id } })).id;

  // An untrained model that never says it is done: its <|end|> embedding is zero, so that logit is
  // always 0 while the largest of the others is above it. Greedy, it writes all 1024 tokens (seconds).
  await tensorflow();
  const slow = { vocabSize: 300, contextLength: 1100, layers: 1, width: 32, heads: 2, head: 'lm' as const };
  const tokenizer = trainTokenizer([Array.from({ length: 400 }, (_, i) => `word${i} colour ${(i * 7919) % 1000}`).join(' ')], slow.vocabSize);
  const params = initParams(slow, 1);
  const end = tokenizer.special('<|end|>');
  params.set('wte', tf.tidy(() => tf.mul(params.get('wte')!, tf.oneHot(end, slow.vocabSize).reshape([slow.vocabSize, 1]).mul(-1).add(1))));
  saveCheckpoint(path.join(dir, 'slow'), { config: slow, tokenizer, params, training: null });
  slowRunId = (await t.db.trainingRun.create({ data: { kind: 'SFT', status: 'SUCCEEDED', checkpointPath: path.join(dir, 'slow'), createdById: admin.id } })).id;
  baseURL = await serve(t.db);
}, 120_000);

afterAll(async () => {
  delete process.env.FEEDLOOP_INFERENCE_TIMEOUT_SECONDS;
  server?.close();
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the bundled model behind /v1/chat/completions', { timeout: 60_000 }, () => {
  it('answers the official openai client, whole and streamed, with the same text', async () => {
    const client = new OpenAI({ apiKey: token, baseURL });
    const messages = [{ role: 'user' as const, content: 'Name colour number 2.' }];
    const whole = await client.chat.completions.create({ model: sftRunId, messages, temperature: 0, max_tokens: 12 });
    // The greedy reply of the checkpoint itself, computed here without the server.
    await tensorflow();
    const expected = generate(loadCheckpoint(path.join(dir, 'sft')), messages, { temperature: 0, maxTokens: 12 }).text;
    expect(expected).toMatch(/^The colour is (red|green|blue)\.$/);
    expect(whole.choices[0]!.message.content).toBe(expected);
    expect(whole.choices[0]!.finish_reason).toBe('stop');
    expect(whole.usage!.completion_tokens).toBeGreaterThan(0);

    const stream = await client.chat.completions.create({ model: sftRunId, messages, temperature: 0, max_tokens: 12, stream: true, stream_options: { include_usage: true } });
    const pieces: string[] = [];
    let finish: string | null = null;
    let usage: unknown = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        if (choice.delta.content) pieces.push(choice.delta.content);
        finish = choice.finish_reason ?? finish;
      }
    }
    expect(pieces.join('')).toBe(expected);
    expect(pieces.length).toBeGreaterThan(1);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: whole.usage!.completion_tokens });
  });

  it('samples n replies reproducibly with a seed, and honours max_tokens and stop', async () => {
    const client = new OpenAI({ apiKey: token, baseURL });
    const ask = (extra: object) => client.chat.completions.create({ model: sftRunId, messages: [{ role: 'user', content: 'Name colour number 0.' }], ...extra });
    const a = await ask({ temperature: 1.2, n: 2, seed: 7, max_tokens: 8 });
    const b = await ask({ temperature: 1.2, n: 2, seed: 7, max_tokens: 8 });
    expect(a.choices.map((c) => c.message.content)).toEqual(b.choices.map((c) => c.message.content));
    expect(a.choices).toHaveLength(2);
    const short = await ask({ temperature: 0, max_tokens: 2 });
    expect(short.choices[0]!.finish_reason).toBe('length');
    const stopped = await ask({ temperature: 0, stop: [' is'] });
    expect(stopped.choices[0]!.message.content).toBe('The colour');
  });

  it('lists the servable models', async () => {
    const client = new OpenAI({ apiKey: token, baseURL });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain(sftRunId);
    expect(ids).not.toContain(rewardRunId);
  });

  it('registered as an endpoint, writes candidates for 5 fresh items, which labelers then rank', async () => {
    const secret = 'a-test-secret-of-at-least-32-characters!!';
    const admin = await t.db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } });
    const labeler = await t.db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } });
    const project = await t.db.project.create({ data: { slug: 'loop', name: 'Round 2', rankingsPerItem: 1 } });
    await t.db.projectMember.create({ data: { projectId: project.id, userId: labeler.id } });
    for (let i = 0; i < 5; i++) {
      await t.db.item.create({ data: { projectId: project.id, externalId: `fresh-${i}`, messages: [{ role: 'user', content: `Name colour number ${i % 3}.` }], source: 'test' } });
    }
    const endpoint = await saveEndpoint(t.db, admin.id, endpointInput.parse({ name: 'bundled sft', baseUrl: baseURL, model: sftRunId, apiKey: token, defaults: { temperature: 1, maxTokens: 16 } }), { secret });
    expect(await claimNext(t.db, labeler.id, 'loop', 'RANKING')).toEqual({ status: 'empty' });

    const queued = await enqueueGenerationRun(t.db, admin.id, project.id, generationInput.parse({ endpoints: [{ endpointId: endpoint.id, n: 2 }] }), { secret });
    expect(await runToEnd(t.db, project.id, queued.id, { secret })).toMatchObject({ status: 'SUCCEEDED', total: 5, done: 5, failed: 0 });
    const candidates = await t.db.candidate.findMany({ where: { item: { projectId: project.id } } });
    expect(candidates).toHaveLength(10);
    for (const c of candidates) expect(c).toMatchObject({ origin: 'BUNDLED', model: sftRunId, params: { endpointId: endpoint.id, temperature: 1, max_tokens: 16 } });

    const next = await claimNext(t.db, labeler.id, 'loop', 'RANKING');
    expect(next.status).toBe('task');
    if (next.status !== 'task') return;
    expect(next.task.item.messages[0]!.content).toMatch(/^Name colour number \d\.$/);
    expect(next.task.candidates.map((c) => c.content).sort()).toEqual(candidates.filter((c) => c.itemId === next.task.item.id).map((c) => c.content).sort());
  });

  it('refuses a bad token, an unknown or reward model and a malformed request, in OpenAI error form', async () => {
    await expect(new OpenAI({ apiKey: 'fl_nope', baseURL }).chat.completions.create({ model: sftRunId, messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      status: 401,
    });
    const client = new OpenAI({ apiKey: token, baseURL, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'no-such-run', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 404, param: 'model' });
    await expect(client.chat.completions.create({ model: rewardRunId, messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 400, code: 'model_not_servable' });
    await expect(client.chat.completions.create({ model: sftRunId, messages: [{ role: 'assistant', content: 'hi' }] })).rejects.toMatchObject({
      status: 400,
      param: 'messages',
    });
    await expect(client.chat.completions.create({ model: sftRunId, messages: [{ role: 'user', content: 'hi' }], temperature: 3 })).rejects.toMatchObject({ status: 400, param: 'temperature' });
  });
});

describe('limits of /v1/chat/completions', { timeout: 60_000 }, () => {
  const hi = [{ role: 'user' as const, content: 'hi' }];
  /**
   * The tokens the worker wrote while `work` ran, for a request cut short: a short reply asked for
   * afterwards waits its turn in the worker, so by its answer the cut request has stopped writing.
   * Uncut, the slow model writes all 1024.
   */
  const written = async (client: OpenAI, work: () => Promise<unknown>) => {
    const before = inference().stats().completionTokens;
    await work();
    const after = await client.chat.completions.create({ model: sftRunId, messages: [{ role: 'user', content: 'Name colour number 1.' }], temperature: 0, max_tokens: 2 });
    expect(after.choices[0]!.message.content).toBeTruthy();
    return inference().stats().completionTokens - before - after.usage!.completion_tokens;
  };

  beforeAll(async () => {
    const client = new OpenAI({ apiKey: token, baseURL, maxRetries: 0 });
    const reply = await client.chat.completions.create({ model: slowRunId, messages: hi, temperature: 0, max_tokens: 1024 });
    // Its end token can never win: left alone, it writes all it may.
    expect(reply.choices[0]!.finish_reason).toBe('length');
    expect(reply.usage!.completion_tokens).toBe(1024);
  }, 60_000);

  afterEach(() => {
    delete process.env.FEEDLOOP_INFERENCE_TIMEOUT_SECONDS;
  });

  it('stops generate() between tokens when asked', async () => {
    let asked = 0;
    const cut = generate(loadCheckpoint(path.join(dir, 'slow')), hi, { temperature: 0, maxTokens: 1024 }, undefined, () => ++asked > 5);
    expect(cut).toMatchObject({ tokens: 5, finishReason: 'length' });
  });

  it('refuses a body over 1 MB with 413, and too many or too long messages naming the field, in OpenAI error form', async () => {
    const client = new OpenAI({ apiKey: token, baseURL, maxRetries: 0 });
    const big = [{ role: 'user' as const, content: 'x'.repeat(1024 * 1024) }];
    await expect(client.chat.completions.create({ model: sftRunId, messages: big })).rejects.toMatchObject({
      status: 413,
      code: 'request_too_large',
      type: 'invalid_request_error',
      message: expect.stringContaining('larger than the 1 MB'),
    });
    const many = Array.from({ length: 257 }, () => ({ role: 'user' as const, content: 'hi' }));
    await expect(client.chat.completions.create({ model: sftRunId, messages: many })).rejects.toMatchObject({
      status: 400,
      param: 'messages',
      message: expect.stringContaining('messages: must hold at most 256 messages'),
    });
    const long = [{ role: 'user' as const, content: 'y'.repeat(100_001) }];
    await expect(client.chat.completions.create({ model: sftRunId, messages: long })).rejects.toMatchObject({ status: 400, param: 'messages.0.content' });
    const parts = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'z'.repeat(60_000) }, { type: 'text' as const, text: 'z'.repeat(60_000) }] }];
    await expect(client.chat.completions.create({ model: sftRunId, messages: parts })).rejects.toMatchObject({ status: 400, param: 'messages.0.content' });
  });

  it('answers a whole reply out of time with a 504 the client does not retry, and frees the worker at once', async () => {
    process.env.FEEDLOOP_INFERENCE_TIMEOUT_SECONDS = '0.3';
    const client = new OpenAI({ apiKey: token, baseURL }); // retries on: x-should-retry must stop them
    const before = requestsSeen;
    const tokens = await written(client, () =>
      expect(client.chat.completions.create({ model: slowRunId, messages: hi, temperature: 0, max_tokens: 1024 })).rejects.toMatchObject({
        status: 504,
        code: 'timeout',
        message: expect.stringContaining('within the 0.3 s'),
      }),
    );
    expect(requestsSeen - before).toBe(2);
    expect(tokens).toBeLessThan(1024);
  });

  it('ends a stream out of time with finish_reason "length", keeping the text sent so far', async () => {
    process.env.FEEDLOOP_INFERENCE_TIMEOUT_SECONDS = '0.5';
    const client = new OpenAI({ apiKey: token, baseURL, maxRetries: 0 });
    const pieces: string[] = [];
    let finish: string | null = null;
    let usage: number | undefined;
    const tokens = await written(client, async () => {
      const stream = await client.chat.completions.create({ model: slowRunId, messages: hi, temperature: 0, max_tokens: 1024, stream: true, stream_options: { include_usage: true } });
      for await (const chunk of stream) {
        for (const choice of chunk.choices) {
          if (choice.delta.content) pieces.push(choice.delta.content);
          finish = choice.finish_reason ?? finish;
        }
        usage = chunk.usage?.completion_tokens ?? usage;
      }
    });
    expect(finish).toBe('length');
    // The time limit counts writing only, so the reply always has a beginning, however long it queued.
    expect(pieces.length).toBeGreaterThan(0);
    expect(tokens).toBeLessThan(1024);
    expect(usage).toBe(tokens);
  });

  it('stops generating when the client goes away, streamed or not', async () => {
    const client = new OpenAI({ apiKey: token, baseURL, maxRetries: 0 });
    const streamed = new AbortController();
    let received = 0;
    const streamedTokens = await written(client, async () => {
      const stream = await client.chat.completions.create({ model: slowRunId, messages: hi, temperature: 0, max_tokens: 1024, stream: true }, { signal: streamed.signal });
      // The client ends its iteration quietly when its own signal aborts it.
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content && ++received === 3) streamed.abort();
      }
    });
    expect(received).toBeGreaterThanOrEqual(3);
    expect(streamedTokens).toBeLessThan(1024);

    // A whole reply: the client leaves while it is (most likely) being written.
    const whole = new AbortController();
    const wholeTokens = await written(client, async () => {
      const asking = client.chat.completions.create({ model: slowRunId, messages: hi, temperature: 0, max_tokens: 1024 }, { signal: whole.signal });
      await new Promise((resolve) => setTimeout(resolve, 300));
      whole.abort();
      await expect(asking).rejects.toThrow();
    });
    expect(wholeTokens).toBeLessThan(1024);
  });
});
