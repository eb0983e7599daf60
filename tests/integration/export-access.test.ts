import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiToken, createApiToken, revokeApiToken } from '../../lib/auth/api-tokens.ts';
import { DomainError } from '../../lib/errors.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let t: TestDatabase;
let adminId: string;
let labelerId: string;

beforeAll(async () => {
  t = await freshDatabase();
  await seedDemo(t.db);
  adminId = (await t.db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } })).id;
  labelerId = (await t.db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } })).id;
});
afterAll(() => t.close());

async function status(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.status;
    throw error;
  }
}

describe('API tokens for export', () => {
  it('are stored only as a hash, work for an admin, and stop working at once when revoked', async () => {
    const created = await createApiToken(t.db, adminId, { name: 'pipeline', scopes: ['export'] });
    expect(created.token).toMatch(/^fl_/);
    const stored = await t.db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).not.toContain(created.token);
    expect(await status(authenticateApiToken(t.db, `Bearer ${created.token}`, 'export'))).toBe('ok');
    await revokeApiToken(t.db, adminId, created.id);
    expect(await status(authenticateApiToken(t.db, `Bearer ${created.token}`, 'export'))).toBe(401);
  });

  it('refuses missing and unknown tokens (401) and a token whose owner is not an admin (403)', async () => {
    expect(await status(authenticateApiToken(t.db, null, 'export'))).toBe(401);
    expect(await status(authenticateApiToken(t.db, 'Bearer fl_nope', 'export'))).toBe(401);
    const labelerToken = await createApiToken(t.db, labelerId, { name: 'sneaky', scopes: ['export'] });
    expect(await status(authenticateApiToken(t.db, `Bearer ${labelerToken.token}`, 'export'))).toBe(403);
    const adminToken = await createApiToken(t.db, adminId, { name: 'later demoted', scopes: ['export'] });
    await t.db.user.update({ where: { id: adminId }, data: { role: 'REVIEWER' } });
    expect(await status(authenticateApiToken(t.db, `Bearer ${adminToken.token}`, 'export'))).toBe(403);
    await t.db.user.update({ where: { id: adminId }, data: { role: 'ADMIN' } });
  });
});

describe('npm run export', () => {
  it('writes the files and the manifest, and ends with a JSON summary', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-export-cli-'));
    try {
      const run = spawnSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/export.ts', '--project', 'demo', '--kind', 'preference', '--format', 'trl', '--aggregate', '--test-fraction', '0.3', '--seed', '2', '--out', out],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.url }, encoding: 'utf8' },
      );
      expect(run.status).toBe(0);
      const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
      expect(summary.files.map((f: { name: string }) => f.name)).toEqual(['train.jsonl', 'test.jsonl']);
      expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))).toMatchObject({ mode: 'aggregate', split: { seed: 2, testFraction: 0.3 } });

      const bad = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/export.ts', '--project', 'demo', '--kind', 'sft', '--format', 'hh', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: t.url },
        encoding: 'utf8',
      });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('format: SFT exports use the "messages" format');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
