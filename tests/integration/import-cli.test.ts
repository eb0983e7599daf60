import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './database.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await freshDatabase();
  await t.db.project.create({ data: { slug: 'cli', name: 'CLI' } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-cli-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function importCli(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/import.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: t.url },
    encoding: 'utf8',
  });
  const lastLine = result.stdout.trim().split('\n').at(-1) ?? '';
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, lastLine };
}

describe('npm run import', () => {
  it('imports a file and ends with a JSON summary', () => {
    const file = path.join(dir, 'ok.jsonl');
    fs.writeFileSync(file, ['{"id": "a", "prompt": "One?", "candidates": [{"content": "1", "model": "m"}]}', '{"id": "b", "prompt": "Two?"}'].join('\n'));
    const run = importCli(['--project', 'cli', '--format', 'jsonl', '--json', file]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.lastLine)).toEqual({ imported: 2, skipped: 0, duplicates: 0, errors: [] });
    expect(JSON.parse(importCli(['--project', 'cli', '--format', 'jsonl', '--json', file]).lastLine)).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it('exits non-zero and names every bad line when nothing could be imported', () => {
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, ['{"prompt": "fine"}', '{"prompt": 3}', 'not json'].join('\n'));
    const run = importCli(['--project', 'cli', '--format', 'jsonl', '--json', file]);
    expect(run.status).toBe(1);
    const summary = JSON.parse(run.lastLine);
    expect(summary.imported).toBe(0);
    expect(summary.errors).toEqual([
      { line: 2, field: 'prompt', reason: 'must be a string, not a number' },
      { line: 3, field: 'json', reason: expect.stringMatching(/not valid JSON/) },
    ]);
    expect(run.stderr).toContain('line 2: prompt: must be a string, not a number');

    const skipping = importCli(['--project', 'cli', '--format', 'jsonl', '--skip-bad-lines', '--json', file]);
    expect(skipping.status).toBe(0);
    expect(JSON.parse(skipping.lastLine)).toMatchObject({ imported: 1, skipped: 2 });
  });

  it('refuses an unknown format, a missing file and an unknown project with a clear message', () => {
    const unknownFormat = importCli(['--project', 'cli', '--format', 'xml', 'x.xml']);
    expect(unknownFormat.status).toBe(2);
    expect(unknownFormat.stderr).toContain('--format must be one of jsonl, csv, hh, alpaca, messages');
    const missingFile = importCli(['--project', 'cli', '--format', 'jsonl', path.join(dir, 'nope.jsonl')]);
    expect(missingFile.status).toBe(2);
    expect(missingFile.stderr).toContain('no such file');
    const file = path.join(dir, 'one.jsonl');
    fs.writeFileSync(file, '{"prompt": "x"}');
    const unknownProject = importCli(['--project', 'nope', '--format', 'jsonl', file]);
    expect(unknownProject.status).toBe(2);
    expect(unknownProject.stderr).toContain('no project with the slug "nope"');
  });
});
