import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.ts';
import { decryptSecret } from '../../lib/generation/secrets.ts';
import { endpointInput, listEndpoints, saveEndpoint } from '../../lib/generation/endpoints.ts';
import { cancelGenerationRun, generationInput, startGenerationRun } from '../../lib/generation/runs.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

/**
 * A stub OpenAI server on 127.0.0.1 that misbehaves by prompt: "rate" answers 429 once,
 * "down" always 500, "slow" too late, "garbled" with broken JSON, "half" fails every second call.
 */
let t: TestDatabase;
let server: http.Server;
let baseUrl: string;
let healthy = false;
const calls = new Map<string, number>();

const SECRET = 'a-test-secret-of-at-least-32-characters!!';
const policy = { timeoutMs: 300, retries: 2, backoffMs: 1, maxBackoffMs: 5 };
let adminId: string;
let projectId: string;
let endpointId: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: { content: string }[]; seed: number };
      const prompt = body.messages.at(-1)!.content;
      const n = (calls.get(prompt) ?? 0) + 1;
      calls.set(prompt, n);
      const ok = () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: `Answer to ${prompt} (seed ${body.seed})` } }] }));
      if (healthy) return ok();
      if (prompt.startsWith('rate') && n === 1) return res.writeHead(429, { 'Retry-After': '0' }).end('{}');
      if (prompt.startsWith('down')) return res.writeHead(500).end('{"error":{"message":"overloaded"}}');
      if (prompt.startsWith('slow')) return void setTimeout(ok, 1000);
      if (prompt.startsWith('steady')) return void setTimeout(ok, 100);
      if (prompt.startsWith('garbled')) return res.writeHead(200).end('{"choices": [');
      if (prompt.startsWith('half') && body.seed % 2 === 1) return res.writeHead(500).end('{}');
      return ok();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  t = await freshDatabase();
  await seedDemo(t.db);
  adminId = (await t.db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } })).id;
  projectId = (await t.db.project.create({ data: { slug: 'gen', name: 'Generation' } })).id;
  for (const prompt of ['ok one', 'ok two', 'rate limited', 'down', 'slow', 'garbled', 'half']) {
    await t.db.item.create({ data: { projectId, externalId: prompt, messages: [{ role: 'user', content: prompt }], source: 'test' } });
  }
}, 60_000);

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await t?.close();
});

const candidatesByPrompt = async () => {
  const items = await t.db.item.findMany({ where: { projectId }, select: { messages: true, candidates: { select: { content: true, origin: true, model: true, params: true } } } });
  return Object.fromEntries(items.map((i) => [(i.messages as { content: string }[])[0]!.content, i.candidates]));
};

describe('model endpoints', () => {
  it('store the API key encrypted, never show it, and refuse metadata addresses', async () => {
    const saved = await saveEndpoint(t.db, adminId, endpointInput.parse({ name: 'stub', baseUrl, model: 'stub-1', apiKey: 'sk-stub', defaults: { temperature: 0.9 } }), { secret: SECRET });
    endpointId = saved.id;
    expect(saved).toMatchObject({ hasApiKey: true, baseUrl, defaults: { temperature: 0.9 } });
    expect(JSON.stringify(await listEndpoints(t.db))).not.toContain('sk-stub');
    const row = await t.db.modelEndpoint.findUniqueOrThrow({ where: { id: saved.id } });
    expect(row.apiKeyEncrypted).not.toContain('sk-stub');
    expect(decryptSecret(row.apiKeyEncrypted!, SECRET)).toBe('sk-stub');
    const refused = await saveEndpoint(t.db, adminId, endpointInput.parse({ name: 'meta', baseUrl: 'http://169.254.169.254/v1', model: 'x' }), { secret: SECRET }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).field).toBe('baseUrl');
    expect(await t.db.modelEndpoint.count({ where: { name: 'meta' } })).toBe(0);
  });
});

describe('generating candidates', () => {
  it('retries within bounds, writes nothing half, lists every failed item with its reason, and a re-run fills only the gaps', async () => {
    const input = generationInput.parse({ endpoints: [{ endpointId, n: 2, maxTokens: 64 }], concurrency: 3 });
    const { run, finished } = await startGenerationRun(t.db, adminId, projectId, input, { policy, secret: SECRET });
    expect(run).toMatchObject({ status: 'RUNNING', total: 7 });
    const first = await finished;
    expect(first).toMatchObject({ status: 'SUCCEEDED', total: 7, done: 3, failed: 4 });
    const reasons = Object.fromEntries(
      await Promise.all(
        first.failures.map(async (f) => {
          const item = await t.db.item.findUniqueOrThrow({ where: { id: f.itemId }, select: { messages: true } });
          return [(item.messages as { content: string }[])[0]!.content, f.reason] as const;
        }),
      ),
    );
    expect(reasons).toEqual({
      down: 'HTTP 500: overloaded (after 3 attempts)',
      slow: 'no answer within 300 ms (after 3 attempts)',
      garbled: expect.stringMatching(/^the answer is not valid JSON .* \(after 3 attempts\)$/),
      half: 'HTTP 500 (after 3 attempts)',
    });
    expect(calls.get('down')).toBe(3);
    expect(calls.get('rate limited')).toBe(3); // 429 once, then two answers

    const stored = await candidatesByPrompt();
    expect(stored['ok one']).toHaveLength(2);
    expect(stored['ok one']![0]).toMatchObject({ origin: 'ENDPOINT', model: 'stub-1', params: { endpointId, endpoint: 'stub', temperature: 0.9, max_tokens: 64 } });
    expect(stored['rate limited']).toHaveLength(2);
    for (const failed of ['down', 'slow', 'garbled', 'half']) expect(stored[failed]).toEqual([]);
    const audit = await t.db.auditLog.count({ where: { action: 'generation.start' } });
    expect(audit).toBe(1);

    healthy = true;
    calls.clear();
    const again = await (await startGenerationRun(t.db, adminId, projectId, input, { policy, secret: SECRET })).finished;
    expect(again).toMatchObject({ status: 'SUCCEEDED', total: 4, done: 4, failed: 0 });
    expect([...calls.keys()].sort()).toEqual(['down', 'garbled', 'half', 'slow']);
    const after = await candidatesByPrompt();
    for (const prompt of Object.keys(after)) expect(after[prompt]).toHaveLength(2);
    const third = await (await startGenerationRun(t.db, adminId, projectId, input, { policy, secret: SECRET })).finished;
    expect(third).toMatchObject({ total: 0, done: 0 });
  });

  it('names the field of a bad request', () => {
    expect(generationInput.safeParse({ endpoints: [] }).error?.issues[0]).toMatchObject({ path: ['endpoints'], message: 'choose at least one endpoint' });
    expect(generationInput.safeParse({ endpoints: [{ endpointId, n: 10 }] }).error?.issues[0]?.path).toEqual(['endpoints', 0, 'n']);
  });

  it('stops a run on cancel, keeps what was stored, and closes a run no server carries out any more', async () => {
    healthy = false;
    const other = (await t.db.project.create({ data: { slug: 'gen-cancel', name: 'Cancel' } })).id;
    for (let i = 0; i < 8; i++) await t.db.item.create({ data: { projectId: other, externalId: `steady ${i}`, messages: [{ role: 'user', content: `steady ${i}` }], source: 'test' } });
    const input = generationInput.parse({ endpoints: [{ endpointId, n: 1 }], concurrency: 1 });
    const { run, finished } = await startGenerationRun(t.db, adminId, other, input, { policy, secret: SECRET });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await cancelGenerationRun(t.db, adminId, other, run.id);
    const ended = await finished;
    expect(ended.status).toBe('CANCELLED');
    expect(ended.done).toBeGreaterThan(0);
    expect(ended.done).toBeLessThan(8);
    expect(await t.db.candidate.count({ where: { item: { projectId: other } } })).toBe(ended.done);
    await expect(cancelGenerationRun(t.db, adminId, other, run.id)).rejects.toMatchObject({ status: 409 });

    const orphan = await t.db.generationRun.create({ data: { projectId: other, request: {}, status: 'RUNNING', total: 3 } });
    expect(await cancelGenerationRun(t.db, adminId, other, orphan.id)).toMatchObject({ status: 'CANCELLED' });
  });
});
