import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportOptions } from '../../lib/export/options.ts';
import { exportToDirectory } from '../../lib/export/run.ts';
import { exportsRoot, findRunFile, getExportRun, listExportRuns, runDir, runFilePath } from '../../lib/export/storage.ts';
import { importFile } from '../../lib/import/import-file.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

// The route handlers run as the seeded admin; who may call them is the access table's job
// (lib/auth/roles.ts, e2e/exports.spec.ts), not this file's.
const session = vi.hoisted(() => ({ userId: '' }));
vi.mock('@/lib/auth/guard', () => ({
  withAccess:
    (handler: (request: NextRequest, user: object, context: object) => Promise<Response>) =>
    (request: NextRequest, context: object) =>
      handler(request, { id: session.userId, email: 'admin@feedloop.local', name: 'Admin', role: 'ADMIN', locale: null }, context),
}));

const HH = path.resolve(import.meta.dirname, '../../../shared/datasets/hh-rlhf-harmless-sample.jsonl');

let t: TestDatabase;
let root: string;
let elsewhere: string;
let adminId: string;
let demoId: string;
const previousExportsDir = process.env.FEEDLOOP_EXPORTS_DIR;
const previousDatabaseUrl = process.env.DATABASE_URL;

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const readJsonl = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** An export as the admin route runs it: into `<exports root>/<run id>`, reporting progress. */
async function adminExport(projectId: string, raw: Record<string, unknown>) {
  const progress: number[] = [];
  const result = await exportToDirectory(t.db, t.url, {
    projectId,
    options: exportOptions.parse(raw),
    outDir: (runId) => runDir(runId),
    actorId: adminId,
    onProgress: (rows) => progress.push(rows),
  });
  return { ...result, progress };
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-exports-admin-'));
  elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-exports-cli-'));
  process.env.FEEDLOOP_EXPORTS_DIR = root;
  t = await freshDatabase();
  await seedDemo(t.db);
  adminId = (await t.db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } })).id;
  session.userId = adminId;
  // The app's own client (lib/db.ts getDb) talks to this test database.
  process.env.DATABASE_URL = t.url;
  (globalThis as { feedloopDb?: unknown }).feedloopDb = t.db;
  demoId = (await t.db.project.findUniqueOrThrow({ where: { slug: 'demo' } })).id;
}, 120_000);

afterAll(async () => {
  delete (globalThis as { feedloopDb?: unknown }).feedloopDb;
  if (previousDatabaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousDatabaseUrl;
  await t.close();
  if (previousExportsDir === undefined) delete process.env.FEEDLOOP_EXPORTS_DIR;
  else process.env.FEEDLOOP_EXPORTS_DIR = previousExportsDir;
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(elsewhere, { recursive: true, force: true });
});

describe('admin exports', () => {
  it('write each run into a folder named by its id under FEEDLOOP_EXPORTS_DIR, reporting progress at the end', async () => {
    expect(exportsRoot()).toBe(path.resolve(root));
    const result = await adminExport(demoId, { kind: 'preference', format: 'trl-conversational', testFraction: 0.3, seed: 2 });
    expect(result.dir).toBe(path.join(root, result.runId));
    expect(fs.readdirSync(result.dir).sort()).toEqual(['manifest.json', 'test.jsonl', 'train.jsonl']);
    expect(result.rows).toBeGreaterThan(0);
    expect(result.progress.at(-1)).toBe(result.rows);
    const stored = await t.db.exportRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(stored).toMatchObject({ status: 'SUCCEEDED', path: result.dir, createdById: adminId, rows: result.rows });
    for (const row of readJsonl(path.join(result.dir, 'train.jsonl'))) {
      expect(Array.isArray(row.chosen) && Array.isArray(row.rejected) && Array.isArray(row.prompt)).toBe(true);
    }
  });

  it('report progress every 1,000 rows on a larger export', async () => {
    const labeler = await t.db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } });
    const project = await t.db.project.create({ data: { slug: 'hh-admin', name: 'HH', members: { create: { userId: labeler.id } } } });
    await importFile(t.db, { projectId: project.id, format: 'hh', path: HH, skipBadLines: true });
    const items = await t.db.item.findMany({ where: { projectId: project.id }, select: { id: true, goldAnswer: true } });
    await t.db.ranking.createMany({
      data: items.map((item) => ({ itemId: item.id, authorId: labeler.id, tiers: (item.goldAnswer as { tiers: string[][] }).tiers, ratings: {} })),
    });
    const result = await adminExport(project.id, { kind: 'preference', format: 'hh' });
    expect(result.rows).toBeGreaterThan(1000);
    expect(result.rows).toBeLessThan(2000);
    expect(result.progress).toEqual([1000, result.rows]);
  }, 120_000);

  it('list past runs newest first, with project, creator, files and their sha256, and what can be downloaded', async () => {
    const cli = await exportToDirectory(t.db, t.url, { projectId: demoId, options: exportOptions.parse({ kind: 'sft', format: 'messages' }), outDir: elsewhere });
    const runs = await listExportRuns(t.db);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.map((r) => r.createdAt)).toEqual([...runs.map((r) => r.createdAt)].sort().reverse());
    expect(runs[0]).toMatchObject({ id: cli.runId, kind: 'SFT', format: 'messages', status: 'SUCCEEDED', createdBy: null, downloads: [] });

    const admin = runs.find((r) => r.project.slug === 'demo' && r.format === 'trl-conversational')!;
    expect(admin).toMatchObject({ kind: 'PREFERENCE', mode: 'per-labeler', status: 'SUCCEEDED', createdBy: { email: 'admin@feedloop.local' }, seed: 2, testFraction: 0.3 });
    expect(admin.project).toEqual({ slug: 'demo', name: expect.any(String) });
    expect(admin.downloads).toEqual(['train.jsonl', 'test.jsonl', 'manifest.json']);
    for (const file of admin.files) expect(file.sha256).toBe(sha256(path.join(root, admin.id, file.name)));
    expect(admin.files.reduce((n, f) => n + f.rows, 0)).toBe(admin.rows);
    expect(await getExportRun(t.db, admin.id)).toEqual(admin);
    expect(await getExportRun(t.db, 'nope')).toBeNull();
  });

  it('serve only the files a run lists, from its own folder', async () => {
    const a = await adminExport(demoId, { kind: 'preference', format: 'trl' });
    const b = await adminExport(demoId, { kind: 'preference', format: 'hh', testFraction: 0.5 });

    const train = await findRunFile(t.db, a.runId, 'train.jsonl');
    expect(train).toMatchObject({ path: path.join(root, a.runId, 'train.jsonl'), size: fs.statSync(path.join(root, a.runId, 'train.jsonl')).size });
    expect(train!.downloadName).toBe(`demo-${a.runId}-train.jsonl`);
    expect(await findRunFile(t.db, a.runId, 'manifest.json')).not.toBeNull();
    expect(await findRunFile(t.db, b.runId, 'test.jsonl')).not.toBeNull();

    // No test split in run a; another run's files; anything that is not a plain listed name.
    for (const name of ['test.jsonl', '../x', `../${b.runId}/manifest.json`, `../${b.runId}/test.jsonl`, '..', '.', '', '/etc/passwd', 'train.jsonl/', '%2e%2e%2fx']) {
      expect(await findRunFile(t.db, a.runId, name), name).toBeNull();
    }
    const stored = await t.db.exportRun.findUniqueOrThrow({ where: { id: a.runId } });
    expect(runFilePath(stored, '../x')).toBeNull();
    expect(runFilePath(stored, `../${b.runId}/manifest.json`)).toBeNull();
    expect(runFilePath(stored, 'manifest.json')).toBe(path.join(root, a.runId, 'manifest.json'));

    // Unknown or malformed run ids.
    expect(await findRunFile(t.db, 'does-not-exist', 'train.jsonl')).toBeNull();
    expect(await findRunFile(t.db, `../${a.runId}`, 'train.jsonl')).toBeNull();

    // A run whose folder is not its own (a command-line export elsewhere) offers nothing.
    const cli = await exportToDirectory(t.db, t.url, { projectId: demoId, options: exportOptions.parse({ kind: 'preference', format: 'trl' }), outDir: path.join(elsewhere, 'x') });
    expect(await findRunFile(t.db, cli.runId, 'train.jsonl')).toBeNull();
    // Pointing a command-line run's path at another run's folder does not expose it either.
    await t.db.exportRun.update({ where: { id: cli.runId }, data: { path: path.join(root, a.runId) } });
    expect(await findRunFile(t.db, cli.runId, 'train.jsonl')).toBeNull();

    // A failed run, and a listed file that has gone from disk.
    await t.db.exportRun.update({ where: { id: b.runId }, data: { status: 'FAILED' } });
    expect(await findRunFile(t.db, b.runId, 'train.jsonl')).toBeNull();
    fs.rmSync(path.join(root, a.runId, 'train.jsonl'));
    expect(await findRunFile(t.db, a.runId, 'train.jsonl')).toBeNull();
  });

  it('mark a run FAILED when its folder cannot be named', async () => {
    await expect(
      exportToDirectory(t.db, t.url, {
        projectId: demoId,
        options: exportOptions.parse({ kind: 'preference', format: 'trl' }),
        outDir: () => runDir('../escape'),
      }),
    ).rejects.toThrow('not an export run id');
    const last = await t.db.exportRun.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(last).toMatchObject({ status: 'FAILED', path: null });
  });
});

const call = (url: string, init: { method?: string; body?: unknown } = {}) =>
  new NextRequest(`http://localhost${url}`, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
const context = <P,>(params: P) => ({ params: Promise.resolve(params) });

describe('the admin export and token routes', () => {
  it('preview the first rows, and refuse bad options and unknown projects with a message naming the field', async () => {
    const { POST } = await import('../../app/api/admin/exports/preview/route.ts');
    const ok = await POST(call('/api/admin/exports/preview', { method: 'POST', body: { project: 'demo', options: { kind: 'preference', format: 'trl' } } }), context({}));
    expect(ok.status).toBe(200);
    const { rows } = (await ok.json()) as { rows: Record<string, unknown>[] };
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['chosen', 'prompt', 'rejected']);

    const bad = await POST(call('/api/admin/exports/preview', { method: 'POST', body: { project: 'demo', options: { kind: 'sft', format: 'hh' } } }), context({}));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_input', field: 'options.format' });
    const unknown = await POST(call('/api/admin/exports/preview', { method: 'POST', body: { project: 'nope', options: { kind: 'sft', format: 'messages' } } }), context({}));
    expect(unknown.status).toBe(404);
    const notJson = await POST(call('/api/admin/exports/preview', { method: 'POST', body: '{' }), context({}));
    expect(notJson.status).toBe(400);
  });

  it('run an export streaming progress then the run, list it, and download its files', async () => {
    const { POST, GET } = await import('../../app/api/admin/exports/route.ts');
    const response = await POST(
      call('/api/admin/exports', { method: 'POST', body: { project: 'demo', options: { kind: 'sft', format: 'messages', metadata: true, testFraction: 0.5 } } }),
      context({}),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const messages = (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; rows?: number; run?: { id: string; rows: number; downloads: string[]; files: { name: string; sha256: string }[] } });
    expect(messages[0]).toEqual({ type: 'progress', rows: 0 });
    const done = messages.at(-1)!;
    expect(done.type).toBe('done');
    const run = done.run!;
    expect(messages.at(-2)).toEqual({ type: 'progress', rows: run.rows });
    expect(run.downloads).toEqual(['train.jsonl', 'test.jsonl', 'manifest.json']);
    expect(fs.existsSync(path.join(root, run.id, 'manifest.json'))).toBe(true);
    expect((await t.db.exportRun.findUniqueOrThrow({ where: { id: run.id } })).createdById).toBe(adminId);

    const badRun = await POST(call('/api/admin/exports', { method: 'POST', body: { project: 'demo', options: { kind: 'preference', format: 'trl', testFraction: 2 } } }), context({}));
    expect(badRun.status).toBe(400);
    expect(await badRun.json()).toMatchObject({ field: 'options.testFraction' });

    const list = (await (await GET(call('/api/admin/exports'), context({}))).json()) as { runs: { id: string }[] };
    expect(list.runs[0]!.id).toBe(run.id);

    const files = await import('../../app/api/admin/exports/[id]/files/[name]/route.ts');
    const download = await files.GET(call(`/api/admin/exports/${run.id}/files/train.jsonl`), context({ id: run.id, name: 'train.jsonl' }));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="demo-${run.id}-train.jsonl"`);
    const text = await download.text();
    expect(crypto.createHash('sha256').update(text).digest('hex')).toBe(run.files.find((f) => f.name === 'train.jsonl')!.sha256);
    for (const line of text.split('\n').filter(Boolean)) expect(JSON.parse(line)).toHaveProperty('metadata.source');
    const manifest = await files.GET(call(`/api/admin/exports/${run.id}/files/manifest.json`), context({ id: run.id, name: 'manifest.json' }));
    expect((await manifest.json()).exportRunId).toBe(run.id);
    for (const [id, name] of [[run.id, '../x'], [run.id, 'package.json'], ['nope', 'train.jsonl'], ['..', 'package.json']] as const) {
      const refused = await files.GET(call(`/api/admin/exports/x/files/y`), context({ id, name }));
      expect(refused.status, `${id} ${name}`).toBe(404);
    }
  });

  it('create a token (shown once), list tokens without it, and revoke one', async () => {
    const tokens = await import('../../app/api/admin/tokens/route.ts');
    const one = await import('../../app/api/admin/tokens/[id]/route.ts');
    const created = await tokens.POST(call('/api/admin/tokens', { method: 'POST', body: { name: 'nightly pipeline' } }), context({}));
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; token: string; name: string };
    expect(body).toMatchObject({ name: 'nightly pipeline', token: expect.stringMatching(/^fl_/) });

    const empty = await tokens.POST(call('/api/admin/tokens', { method: 'POST', body: { name: '  ' } }), context({}));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ field: 'name' });

    const listed = (await (await tokens.GET(call('/api/admin/tokens'), context({}))).json()) as { tokens: Record<string, unknown>[] };
    const row = listed.tokens.find((token) => token.id === body.id)!;
    expect(row).toMatchObject({ name: 'nightly pipeline', lastUsedAt: null, revokedAt: null, user: { email: 'admin@feedloop.local' } });
    expect(JSON.stringify(listed)).not.toContain(body.token);

    const revoked = await one.DELETE(call(`/api/admin/tokens/${body.id}`, { method: 'DELETE' }), context({ id: body.id }));
    expect(revoked.status).toBe(200);
    const again = await one.DELETE(call(`/api/admin/tokens/${body.id}`, { method: 'DELETE' }), context({ id: body.id }));
    expect(again.status).toBe(404);
  });
});
