import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.ts';
import { decryptSecret } from '../../lib/generation/secrets.ts';
import { endpointInput, listEndpoints, saveEndpoint } from '../../lib/generation/endpoints.ts';
import { cancelGenerationRun, enqueueGenerationRun, generationInput, getGenerationRun } from '../../lib/generation/runs.ts';
import { createDb } from '../../lib/db.ts';
import { claimJob } from '../../lib/jobs/queue.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';
import { runToEnd, settled, testWorker } from './jobs.ts';

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

/** A project of its own with `count` items whose prompts start with `prefix`. */
async function projectWith(slug: string, prefix: string, count: number): Promise<string> {
  const id = (await t.db.project.create({ data: { slug, name: slug } })).id;
  for (let i = 0; i < count; i++) await t.db.item.create({ data: { projectId: id, externalId: `${prefix} ${i}`, messages: [{ role: 'user', content: `${prefix} ${i}` }], source: 'test' } });
  return id;
}

const candidatesIn = (project: string) => t.db.candidate.count({ where: { item: { projectId: project } } });

/** Waits (bounded by the test's timeout) until the project has at least `count` candidates. */
async function untilCandidates(project: string, count: number) {
  while ((await candidatesIn(project)) < count) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function perItem(project: string): Promise<number[]> {
  const items = await t.db.item.findMany({ where: { projectId: project }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { _count: { select: { candidates: true } } } });
  return items.map((i) => i._count.candidates);
}

describe('generating candidates', () => {
  it('retries within bounds, writes nothing half, lists every failed item with its reason, and a re-run fills only the gaps', async () => {
    const input = generationInput.parse({ endpoints: [{ endpointId, n: 2, maxTokens: 64 }], concurrency: 3 });
    const run = await enqueueGenerationRun(t.db, adminId, projectId, input, { secret: SECRET });
    // Queued at once; nothing is called until a worker takes it up.
    expect(run).toMatchObject({ status: 'QUEUED', total: 7, done: 0 });
    expect(calls.size).toBe(0);
    const first = await runToEnd(t.db, projectId, run.id, { policy, secret: SECRET });
    expect(first).toMatchObject({ status: 'SUCCEEDED', total: 7, done: 3, failed: 4, error: null });
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
    const rerun = await enqueueGenerationRun(t.db, adminId, projectId, input, { secret: SECRET });
    const again = await runToEnd(t.db, projectId, rerun.id, { policy, secret: SECRET });
    expect(again).toMatchObject({ status: 'SUCCEEDED', total: 4, done: 4, failed: 0 });
    expect([...calls.keys()].sort()).toEqual(['down', 'garbled', 'half', 'slow']);
    const after = await candidatesByPrompt();
    for (const prompt of Object.keys(after)) expect(after[prompt]).toHaveLength(2);
    const nothing = await enqueueGenerationRun(t.db, adminId, projectId, input, { secret: SECRET });
    const third = await runToEnd(t.db, projectId, nothing.id, { policy, secret: SECRET });
    expect(third).toMatchObject({ status: 'SUCCEEDED', total: 0, done: 0 });
  });

  it('names the field of a bad request, and refuses to queue a run for an unknown endpoint', async () => {
    expect(generationInput.safeParse({ endpoints: [] }).error?.issues[0]).toMatchObject({ path: ['endpoints'], message: 'choose at least one endpoint' });
    expect(generationInput.safeParse({ endpoints: [{ endpointId, n: 10 }] }).error?.issues[0]?.path).toEqual(['endpoints', 0, 'n']);
    const before = await t.db.generationRun.count();
    await expect(enqueueGenerationRun(t.db, adminId, projectId, generationInput.parse({ endpoints: [{ endpointId: 'nope' }] }), { secret: SECRET })).rejects.toMatchObject({ status: 404, field: 'endpoints' });
    expect(await t.db.generationRun.count()).toBe(before);
  });

  it('fails a run, with the reason, whose endpoint was switched off while it waited in the queue', async () => {
    const other = await projectWith('gen-off', 'ok off', 2);
    const spare = await saveEndpoint(t.db, adminId, endpointInput.parse({ name: 'spare', baseUrl, model: 'stub-2' }), { secret: SECRET });
    const run = await enqueueGenerationRun(t.db, adminId, other, generationInput.parse({ endpoints: [{ endpointId: spare.id }] }), { secret: SECRET });
    await t.db.modelEndpoint.update({ where: { id: spare.id }, data: { active: false } });
    expect(await runToEnd(t.db, other, run.id, { policy, secret: SECRET })).toMatchObject({ status: 'FAILED', error: 'endpoints: "spare" is switched off' });
    expect(await candidatesIn(other)).toBe(0);
  });

  it('serves the items chosen when the run was queued, even if they get ranked or new ones arrive before a worker takes it up', async () => {
    healthy = true;
    const other = await projectWith('gen-chosen', 'steady c', 4);
    const run = await enqueueGenerationRun(t.db, adminId, other, generationInput.parse({ endpoints: [{ endpointId, n: 1 }], unrankedOnly: true, limit: 2 }), { secret: SECRET });
    const [first, second, third] = await t.db.item.findMany({ where: { projectId: other }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
    // Meanwhile a labeler ranks the first chosen item (read live, "unranked" and "at most 2" would now pick the third).
    await t.db.candidate.createMany({ data: [{ itemId: first!.id, content: 'a' }, { itemId: first!.id, content: 'b' }] });
    const [a, b] = await t.db.candidate.findMany({ where: { itemId: first!.id }, select: { id: true } });
    const labeler = await t.db.user.findFirstOrThrow({ where: { role: 'LABELER' } });
    await t.db.ranking.create({ data: { itemId: first!.id, authorId: labeler.id, tiers: [[a!.id], [b!.id]] } });
    expect(await runToEnd(t.db, other, run.id, { policy, secret: SECRET })).toMatchObject({ status: 'SUCCEEDED', total: 2, done: 2 });
    // The two chosen items got their answer (the first beside its two ranked ones); the third got none.
    expect(await perItem(other)).toEqual([3, 1, 0, 0]);
    expect(await t.db.candidate.count({ where: { itemId: second!.id } })).toBe(1);
    expect(await t.db.candidate.count({ where: { itemId: third!.id } })).toBe(0);
  });

  it('stops a running job on a cancel recorded by another server, keeps what was stored, and ends a queued run at once', async () => {
    healthy = false;
    const other = await projectWith('gen-cancel', 'steady', 8);
    const input = generationInput.parse({ endpoints: [{ endpointId, n: 1 }], concurrency: 1 });
    const run = await enqueueGenerationRun(t.db, adminId, other, input, { secret: SECRET });
    const worker = testWorker(t.db, { policy, secret: SECRET });
    const elsewhere = createDb(t.url);
    try {
      await untilCandidates(other, 1);
      const asked = await cancelGenerationRun(elsewhere, adminId, other, run.id);
      // The worker holds the run: the cancel is recorded, and the worker ends it.
      expect(asked).toMatchObject({ status: 'RUNNING', cancelRequested: true });
      const ended = await settled(t.db, other, run.id);
      expect(ended.status).toBe('CANCELLED');
      expect(ended.done).toBeGreaterThan(0);
      expect(ended.done).toBeLessThan(8);
      expect(await candidatesIn(other)).toBe(ended.done);
      await expect(cancelGenerationRun(elsewhere, adminId, other, run.id)).rejects.toMatchObject({ status: 409 });
      expect(await t.db.auditLog.count({ where: { action: 'generation.cancel', entityId: run.id } })).toBe(1);
    } finally {
      await worker.stop();
      await elsewhere.$disconnect();
    }

    // With no worker running, a queued run ends as soon as it is cancelled.
    const queued = await enqueueGenerationRun(t.db, adminId, other, input, { secret: SECRET });
    expect(await cancelGenerationRun(t.db, adminId, other, queued.id)).toMatchObject({ status: 'CANCELLED', cancelRequested: false });
    expect(await claimJob(t.db, 'GenerationRun')).toBeNull();

    // So does a running one whose worker stopped heartbeating long ago.
    const orphan = await t.db.generationRun.create({ data: { projectId: other, request: {}, status: 'RUNNING', total: 3, heartbeatAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await cancelGenerationRun(t.db, adminId, other, orphan.id)).toMatchObject({ status: 'CANCELLED' });
  });

  it('a worker that stops gracefully hands its run back, and the next worker completes it with exactly the answers asked for', async () => {
    const other = await projectWith('gen-handover', 'steady h', 8);
    const run = await enqueueGenerationRun(t.db, adminId, other, generationInput.parse({ endpoints: [{ endpointId, n: 2 }], concurrency: 2 }), { secret: SECRET });
    const first = testWorker(t.db, { policy, secret: SECRET });
    await untilCandidates(other, 2);
    await first.stop();
    const handed = await t.db.generationRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(handed).toMatchObject({ status: 'QUEUED', leaseId: null });
    expect(handed.done * 2).toBe(await candidatesIn(other));
    expect(handed.done).toBeLessThan(8);

    const ended = await runToEnd(t.db, other, run.id, { policy, secret: SECRET });
    expect(ended).toMatchObject({ status: 'SUCCEEDED', total: 8, done: 8, failed: 0 });
    expect(await perItem(other)).toEqual(Array(8).fill(2));
  });

  it('a run whose worker process died is taken up by another worker once its heartbeat is stale, and completes with exactly the answers asked for', async () => {
    const other = await projectWith('gen-resume', 'steady r', 8);
    const run = await enqueueGenerationRun(t.db, adminId, other, generationInput.parse({ endpoints: [{ endpointId, n: 2 }], concurrency: 1 }), { secret: SECRET });
    const root = path.resolve(import.meta.dirname, '../..');
    // Node itself with tsx's loader (not the tsx command, which runs the script in a grandchild a kill would miss).
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/worker.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.url, AUTH_SECRET: SECRET, FEEDLOOP_WORKER_POLL_MS: '50', FEEDLOOP_JOB_HEARTBEAT_MS: '100' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await untilCandidates(other, 2);
      // The worker is alive: its run is not taken from it.
      expect(await claimJob(t.db, 'GenerationRun')).toBeNull();
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const orphaned = await t.db.generationRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(orphaned).toMatchObject({ status: 'RUNNING', attempts: 1 });
    expect(await candidatesIn(other)).toBeLessThan(16);

    // This worker presumes a run dead after half a second without a heartbeat (a minute by default).
    const ended = await runToEnd(t.db, other, run.id, { policy, secret: SECRET }, { staleMs: 500 });
    expect(ended).toMatchObject({ status: 'SUCCEEDED', total: 8, done: 8, failed: 0 });
    expect(await perItem(other)).toEqual(Array(8).fill(2));
    expect((await t.db.generationRun.findUniqueOrThrow({ where: { id: run.id } })).attempts).toBe(2);
    expect((await getGenerationRun(t.db, other, run.id)).failures).toEqual([]);
  });
});
