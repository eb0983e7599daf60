import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportOptions } from '../../lib/export/options.ts';
import { exportToDirectory } from '../../lib/export/run.ts';
import { runDir } from '../../lib/export/storage.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { startWorker, type Worker } from '../../lib/jobs/worker.ts';
import { getTrainingRun, listTrainingRuns, trainingJob, type TrainingRunView } from '../../lib/training/runs.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

// The route handlers run as the seeded admin; who may call them is the access table's job
// (lib/auth/roles.ts, e2e/training.spec.ts), not this file's.
const session = vi.hoisted(() => ({ userId: '' }));
vi.mock('@/lib/auth/guard', () => ({
  withAccess:
    (handler: (request: NextRequest, user: object, context: object) => Promise<Response>) =>
    (request: NextRequest, context: object) =>
      handler(request, { id: session.userId, email: 'admin@feedloop.local', name: 'Admin', role: 'ADMIN', locale: null }, context),
}));

/** As small as the model gets: a run takes a few seconds, most of it starting Node and tfjs. */
const TINY = { layers: 1, width: 16, heads: 2, contextLength: 32, vocabSize: 300, steps: 4, batchSize: 2, evalEvery: 2 };

let t: TestDatabase;
let exportsDir: string;
let trainingDir: string;
let adminId: string;
let demoId: string;
let sftExportId: string;
let preferenceExportId: string;
let sftRunId: string;
/** The worker that trains the runs these tests start (the web server only queues them). */
let worker: Worker;
const trainingWorker = (more: { staleMs?: number } = {}) => startWorker({ db: t.db, kinds: [trainingJob()], pollMs: 50, heartbeatMs: 200, log: () => {}, ...more });
const previous = { exports: process.env.FEEDLOOP_EXPORTS_DIR, training: process.env.FEEDLOOP_TRAINING_DIR, databaseUrl: process.env.DATABASE_URL };

const call = (url: string, init: { method?: string; body?: unknown } = {}) =>
  new NextRequest(`http://localhost${url}`, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
const context = <P,>(params: P) => ({ params: Promise.resolve(params) });

const routes = async () => ({
  runs: await import('../../app/api/admin/training/route.ts'),
  one: await import('../../app/api/admin/training/[id]/route.ts'),
  cancel: await import('../../app/api/admin/training/[id]/cancel/route.ts'),
  files: await import('../../app/api/admin/training/[id]/files/[name]/route.ts'),
});

async function start(body: unknown): Promise<{ status: number; json: { run?: TrainingRunView; error?: string; field?: string; message?: string } }> {
  const { runs } = await routes();
  const response = await runs.POST(call('/api/admin/training', { method: 'POST', body }), context({}));
  return { status: response.status, json: await response.json() };
}

/** Until the process has exited and its outcome is in the row. */
async function finished(runId: string): Promise<TrainingRunView> {
  return (await until(() => getTrainingRun(t.db, runId), (run) => run !== null && run.status !== 'QUEUED' && run.status !== 'RUNNING', 85_000))!;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * An export of the demo project with rows on both sides of the split. Items are split by a hash
 * of their (random) ids, and the demo has only a handful, so a seed may put them all on one side.
 */
async function adminExport(raw: Record<string, unknown>): Promise<string> {
  for (let seed = 1; seed <= 50; seed++) {
    const result = await exportToDirectory(t.db, t.url, { projectId: demoId, options: exportOptions.parse({ ...raw, seed }), outDir: (runId) => runDir(runId), actorId: adminId });
    const rows = (name: string) => result.files.find((f) => f.name === name)?.rows ?? 0;
    if (rows('train.jsonl') > 0 && rows('test.jsonl') > 0) return result.runId;
  }
  throw new Error('no seed splits the demo export both ways');
}

beforeAll(async () => {
  exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-training-exports-'));
  trainingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-training-runs-'));
  process.env.FEEDLOOP_EXPORTS_DIR = exportsDir;
  process.env.FEEDLOOP_TRAINING_DIR = trainingDir;
  t = await freshDatabase();
  await seedDemo(t.db);
  adminId = (await t.db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } })).id;
  session.userId = adminId;
  process.env.DATABASE_URL = t.url;
  (globalThis as { feedloopDb?: unknown }).feedloopDb = t.db;
  demoId = (await t.db.project.findUniqueOrThrow({ where: { slug: 'demo' } })).id;
  sftExportId = await adminExport({ kind: 'sft', format: 'messages', testFraction: 0.5 });
  preferenceExportId = await adminExport({ kind: 'preference', format: 'trl-conversational', testFraction: 0.4 });
  worker = trainingWorker();
}, 120_000);

afterAll(async () => {
  // No test leaves a process behind: a trainer still going saves a checkpoint and stops.
  await worker?.stop();
  delete (globalThis as { feedloopDb?: unknown }).feedloopDb;
  await t.close();
  for (const [name, value] of [['FEEDLOOP_EXPORTS_DIR', previous.exports], ['FEEDLOOP_TRAINING_DIR', previous.training], ['DATABASE_URL', previous.databaseUrl]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  fs.rmSync(exportsDir, { recursive: true, force: true });
  fs.rmSync(trainingDir, { recursive: true, force: true });
});

describe('training runs from the admin page', () => {
  it('train a tiny SFT model in a child process, keeping progress, held-out loss, the summary and a checkpoint', async () => {
    const started = await start({ method: 'sft', exportRunId: sftExportId, config: TINY });
    expect(started.status).toBe(201);
    const run = started.json.run!;
    // Queued by the request; the worker may have taken it up already.
    expect(run).toMatchObject({ method: 'sft', status: expect.stringMatching(/^(QUEUED|RUNNING)$/), export: { id: sftExportId, kind: 'SFT', project: { slug: 'demo' } }, initRun: null });
    // Every hyper-parameter is recorded, the defaults included.
    expect(run.config).toMatchObject({ ...TINY, learningRate: 1e-3, warmupSteps: 20 });
    sftRunId = run.id;

    const done = await finished(run.id);
    expect(done.status, done.error ?? '').toBe('SUCCEEDED');
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();

    const evals = done.metrics.filter((m) => m.type === 'eval');
    expect(evals.map((e) => e.step)).toEqual([0, 2, 4]);
    for (const e of evals) expect(e.loss).toBeGreaterThan(0);
    expect(evals[0]!.trainLoss).toBeNull();
    const progress = done.metrics.filter((m) => m.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ step: 4, steps: 4 });
    expect(progress.map((p) => p.step)).toEqual([...progress.map((p) => p.step)].sort((a, b) => a - b));
    expect(done.latest.progress).toMatchObject({ step: 4, steps: 4 });
    expect(done.latest.eval).toMatchObject({ step: 4 });

    expect(done.summary).toMatchObject({ method: 'sft', step: 4, finished: true, eval: { step: 4 } });
    expect(done.summary!.parameters).toBeGreaterThan(0);
    expect(done.summary!.baseline.unigramLoss).toBeGreaterThan(0);
    expect(done.summary).not.toHaveProperty('out');

    expect(done.files.map((f) => f.name)).toEqual(['model.safetensors', 'config.json', 'tokenizer.json', 'training.json']);
    const dir = path.join(trainingDir, run.id);
    expect(fs.statSync(path.join(dir, 'model.safetensors')).size).toBe(done.files[0]!.size);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'))).toMatchObject({ layers: 1, width: 16, heads: 2, contextLength: 32, head: 'lm' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8'))).toMatchObject({ kind: 'sft', step: 4, finished: true });

    const audit = await t.db.auditLog.findFirstOrThrow({ where: { entityId: run.id } });
    expect(audit).toMatchObject({ action: 'training.start', actorId: adminId, entityType: 'TrainingRun' });
    expect(audit.after).toMatchObject({ method: 'sft', exportRunId: sftExportId, initRunId: null });
  }, 90_000);

  it('list runs with their latest figures, show one, and serve only its checkpoint files', async () => {
    const { runs, one, files } = await routes();
    const list = (await (await runs.GET(call('/api/admin/training'), context({}))).json()) as { runs: TrainingRunView[] };
    expect(list.runs[0]).toMatchObject({ id: sftRunId, status: 'SUCCEEDED', latest: { progress: { step: 4 }, eval: { step: 4 } } });
    expect(list.runs[0]).not.toHaveProperty('metrics');

    const shown = await one.GET(call(`/api/admin/training/${sftRunId}`), context({ id: sftRunId }));
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { run: TrainingRunView }).run.metrics.length).toBeGreaterThan(0);
    expect((await one.GET(call('/api/admin/training/nope'), context({ id: 'nope' }))).status).toBe(404);

    const download = await files.GET(call(`/api/admin/training/${sftRunId}/files/model.safetensors`), context({ id: sftRunId, name: 'model.safetensors' }));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="sft-${sftRunId}-model.safetensors"`);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.equals(fs.readFileSync(path.join(trainingDir, sftRunId, 'model.safetensors')))).toBe(true);
    const config = await files.GET(call(`/api/admin/training/${sftRunId}/files/config.json`), context({ id: sftRunId, name: 'config.json' }));
    expect((await config.json()).layers).toBe(1);

    // Unknown names, other folders, files a finished SFT run does not have, and links.
    fs.writeFileSync(path.join(trainingDir, sftRunId, 'notes.txt'), 'x');
    for (const [id, name] of [
      [sftRunId, 'notes.txt'],
      [sftRunId, 'optimizer.safetensors'],
      [sftRunId, '../x'],
      [sftRunId, `../${sftRunId}/model.safetensors`],
      [sftRunId, '..'],
      ['nope', 'model.safetensors'],
      ['..', 'model.safetensors'],
      [`../${sftRunId}`, 'model.safetensors'],
    ] as const) {
      const refused = await files.GET(call('/api/admin/training/x/files/y'), context({ id, name }));
      expect(refused.status, `${id} ${name}`).toBe(404);
    }
  });

  it('train a reward model and DPO from that SFT run, on a preference export, with the base run’s model shape', async () => {
    const reward = await start({ method: 'reward', exportRunId: preferenceExportId, initRunId: sftRunId, config: { ...TINY, layers: 3, width: 64 } });
    expect(reward.status, JSON.stringify(reward.json)).toBe(201);
    expect(reward.json.run).toMatchObject({ method: 'reward', initRun: { id: sftRunId, method: 'sft' }, config: { layers: 1, width: 16, steps: 4 } });
    const rewardDone = await finished(reward.json.run!.id);
    expect(rewardDone.status, rewardDone.error ?? '').toBe('SUCCEEDED');
    const rewardEval = rewardDone.metrics.filter((m) => m.type === 'eval').at(-1)!;
    expect(rewardEval.pairs).toBeGreaterThan(0);
    expect(rewardEval.accuracy).toBeGreaterThanOrEqual(0);
    expect(rewardEval.accuracy).toBeLessThanOrEqual(1);
    expect(rewardDone.summary!.baseline).toHaveProperty('bagOfWordsAccuracy');
    expect(JSON.parse(fs.readFileSync(path.join(trainingDir, rewardDone.id, 'config.json'), 'utf8'))).toMatchObject({ layers: 1, head: 'reward' });

    const dpo = await start({ method: 'dpo', exportRunId: preferenceExportId, initRunId: sftRunId, config: { steps: 2, batchSize: 2, beta: 0.2 } });
    expect(dpo.status, JSON.stringify(dpo.json)).toBe(201);
    const dpoDone = await finished(dpo.json.run!.id);
    expect(dpoDone.status, dpoDone.error ?? '').toBe('SUCCEEDED');
    expect(dpoDone.config).toMatchObject({ beta: 0.2, layers: 1, width: 16 });
    expect(dpoDone.metrics.find((m) => m.type === 'eval' && m.step === 0)).toHaveProperty('meanMargin');
    expect(dpoDone.files.map((f) => f.name)).toContain('reference.safetensors');
  }, 120_000);

  it('refuse a wrong export kind, DPO without a base run, a bad base run and bad hyper-parameters, naming the field', async () => {
    const cases: [unknown, string, string?][] = [
      [{ method: 'reward', exportRunId: sftExportId }, 'exportRunId', 'wrong_export_kind'],
      [{ method: 'sft', exportRunId: preferenceExportId }, 'exportRunId', 'wrong_export_kind'],
      [{ method: 'sft', exportRunId: 'nope' }, 'exportRunId', 'export_not_found'],
      [{ method: 'sft' }, 'exportRunId', 'invalid_input'],
      [{ method: 'dpo', exportRunId: preferenceExportId }, 'initRunId', 'invalid_input'],
      [{ method: 'dpo', exportRunId: preferenceExportId, initRunId: '' }, 'initRunId', 'invalid_input'],
      [{ method: 'dpo', exportRunId: preferenceExportId, initRunId: 'nope' }, 'initRunId', 'base_run_not_found'],
      [{ method: 'sft', exportRunId: sftExportId, initRunId: sftRunId }, 'initRunId', 'invalid_input'],
      [{ method: 'ppo', exportRunId: sftExportId }, 'method', 'invalid_input'],
      [{ method: 'sft', exportRunId: sftExportId, config: { layers: 0 } }, 'config.layers', 'invalid_input'],
      [{ method: 'sft', exportRunId: sftExportId, config: { learningRate: 5 } }, 'config.learningRate', 'invalid_input'],
      [{ method: 'sft', exportRunId: sftExportId, config: { width: 30, heads: 4 } }, 'config.heads', 'invalid_input'],
      [{ method: 'sft', exportRunId: sftExportId, config: { steps: '4' } }, 'config.steps', 'invalid_input'],
      [{ method: 'sft', exportRunId: sftExportId, config: { dropout: 0.1 } }, 'config', 'invalid_input'],
    ];
    const reward = (await t.db.trainingRun.findFirstOrThrow({ where: { kind: 'REWARD', status: 'SUCCEEDED' } })).id;
    cases.push([{ method: 'dpo', exportRunId: preferenceExportId, initRunId: reward }, 'initRunId', 'wrong_base_run']);
    const before = await t.db.trainingRun.count();
    for (const [body, field, code] of cases) {
      const refused = await start(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.json, JSON.stringify(body)).toMatchObject({ field, ...(code ? { error: code } : {}) });
      expect(refused.json.message).toContain(field);
    }
    const notJson = await start('{');
    expect(notJson.status).toBe(400);
    expect(await t.db.trainingRun.count()).toBe(before);
  });

  it('cancel a run: the process saves a resumable checkpoint and the run ends CANCELLED; one run trains at a time', async () => {
    const started = await start({ method: 'sft', exportRunId: sftExportId, config: { ...TINY, steps: 1_000_000, evalEvery: 100_000, checkpointEvery: 100_000 } });
    expect(started.status).toBe(201);
    const id = started.json.run!.id;
    // Progress reaches the row while it runs (throttled to every 2 s).
    const running = await until(() => getTrainingRun(t.db, id), (run) => (run?.latest.progress?.step ?? 0) > 0);
    expect(running).toMatchObject({ status: 'RUNNING', latest: { progress: { steps: 1_000_000 } } });

    const busy = await start({ method: 'sft', exportRunId: sftExportId, config: TINY });
    expect(busy).toMatchObject({ status: 409, json: { error: 'training_busy' } });

    const { cancel } = await routes();
    const response = await cancel.POST(call(`/api/admin/training/${id}/cancel`, { method: 'POST' }), context({ id }));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { run: TrainingRunView }).run.cancelRequested).toBe(true);

    const done = await finished(id);
    expect(done.status, done.error ?? '').toBe('CANCELLED');
    expect(done.summary).toMatchObject({ finished: false });
    expect(done.files.map((f) => f.name)).toEqual(expect.arrayContaining(['model.safetensors', 'optimizer.safetensors']));
    expect(JSON.parse(fs.readFileSync(path.join(trainingDir, id, 'training.json'), 'utf8'))).toMatchObject({ finished: false });
    expect(await t.db.auditLog.findFirst({ where: { entityId: id, action: 'training.cancel', actorId: adminId } })).not.toBeNull();

    const again = await cancel.POST(call(`/api/admin/training/${id}/cancel`, { method: 'POST' }), context({ id }));
    expect(again.status).toBe(409);
    expect((await cancel.POST(call('/api/admin/training/nope/cancel', { method: 'POST' }), context({ id: 'nope' }))).status).toBe(404);
  }, 90_000);

  it('mark a run FAILED with the trainer’s own message when the process fails', async () => {
    const dir = path.join(exportsDir, 'by-hand');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'train.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'hello' }] })}\n`);
    const broken = await t.db.exportRun.create({ data: { projectId: demoId, kind: 'SFT', format: 'messages', status: 'SUCCEEDED', path: dir, guidelineVersions: [] } });
    const started = await start({ method: 'sft', exportRunId: broken.id, config: TINY });
    expect(started.status).toBe(201);
    const done = await finished(started.json.run!.id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toContain('train: ');
    expect(done.error).toContain('assistant');
    expect(done.summary).toBeNull();
  }, 60_000);

  it('resume a run from its checkpoint in another worker when the worker training it dies', async () => {
    // This test's own workers: the child process first, then one that takes over.
    await worker.stop();
    const root = path.resolve(import.meta.dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/worker.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.url, FEEDLOOP_WORKER_POLL_MS: '50', FEEDLOOP_JOB_HEARTBEAT_MS: '200' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let id: string;
    let before: TrainingRunView;
    try {
      const started = await start({ method: 'sft', exportRunId: sftExportId, config: { ...TINY, steps: 1_000_000, evalEvery: 100_000, checkpointEvery: 100_000 } });
      expect(started.status).toBe(201);
      id = started.json.run!.id;
      before = await until(() => getTrainingRun(t.db, id), (run) => (run?.latest.progress?.step ?? 0) > 0).then((run) => run!);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(before).toMatchObject({ status: 'RUNNING' });
    // The last step the dead worker recorded (it may have written more after `before` was read).
    const orphaned = (await getTrainingRun(t.db, id))!;
    expect(orphaned.status).toBe('RUNNING');
    const lastStep = orphaned.latest.progress!.step;
    // Its trainer notices the worker is gone and saves a checkpoint (the next periodic one is 100 000 steps away).
    const saved = path.join(trainingDir, id, 'training.json');
    await until(async () => fs.existsSync(saved), (found) => found);
    expect(JSON.parse(fs.readFileSync(saved, 'utf8'))).toMatchObject({ kind: 'sft', finished: false });

    // This worker presumes a run dead after 1.5 s without a heartbeat (a minute by default).
    const successor = trainingWorker({ staleMs: 1500 });
    try {
      const resumed = await until(
        () => t.db.trainingRun.findUniqueOrThrow({ where: { id }, select: { attempts: true, status: true, latest: true } }),
        (run) => run.attempts === 2 && ((run.latest as { progress?: { step: number } } | null)?.progress?.step ?? 0) > lastStep,
      );
      expect(resumed.status).toBe('RUNNING');
      const run = (await getTrainingRun(t.db, id))!;
      // Resumed, not started over: a fresh start would have evaluated step 0 again.
      expect(run.metrics.filter((m) => m.type === 'eval' && m.step === 0)).toHaveLength(1);
      expect(run.error).toBeNull();

      const { cancel } = await routes();
      expect((await cancel.POST(call(`/api/admin/training/${id}/cancel`, { method: 'POST' }), context({ id }))).status).toBe(200);
      const done = await finished(id);
      expect(done.status, done.error ?? '').toBe('CANCELLED');
      expect(done.summary).toMatchObject({ finished: false });
      expect(done.summary!.step).toBeGreaterThan(lastStep);
    } finally {
      await successor.stop();
    }
  }, 120_000);

  it('end a lost run that was asked to cancel, and leave one nobody cancelled for a worker to resume', async () => {
    await worker.stop();
    const old = new Date(Date.now() - 5 * 60_000);
    const base = { kind: 'SFT' as const, exportRunId: sftExportId, projectId: demoId, status: 'RUNNING' as const, startedAt: old, heartbeatAt: old };
    const lost = await t.db.trainingRun.create({ data: base });
    const asked = await t.db.trainingRun.create({ data: { ...base, cancelRequestedAt: old } });
    const fresh = await t.db.trainingRun.create({ data: { ...base, heartbeatAt: new Date(), cancelRequestedAt: old } });
    const runs = await listTrainingRuns(t.db);
    const status = (id: string) => runs.find((r) => r.id === id)!;
    expect(status(lost.id)).toMatchObject({ status: 'RUNNING', error: null });
    expect(status(asked.id)).toMatchObject({ status: 'CANCELLED' });
    expect(status(fresh.id)).toMatchObject({ status: 'RUNNING' });
    await t.db.trainingRun.updateMany({ where: { id: { in: [lost.id, fresh.id] } }, data: { status: 'FAILED' } });
  });
});
