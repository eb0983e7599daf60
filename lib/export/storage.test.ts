import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadableNames, exportsRoot, runDir, runFilePath, runFiles, type StoredRun } from './storage.ts';

const ROOT = path.resolve('/srv/feedloop-exports');
const files = [
  { name: 'train.jsonl', rows: 3, sha256: 'a'.repeat(64) },
  { name: 'test.jsonl', rows: 1, sha256: 'b'.repeat(64) },
];
const run = (over: Partial<StoredRun> = {}): StoredRun => ({ id: 'run1', status: 'SUCCEEDED', path: path.join(ROOT, 'run1'), files, ...over });

describe('exportsRoot', () => {
  it('is FEEDLOOP_EXPORTS_DIR, else exports/ in the state folder, resolved against the working folder', () => {
    expect(exportsRoot({ FEEDLOOP_EXPORTS_DIR: '/data/exports' })).toBe(path.resolve('/data/exports'));
    expect(exportsRoot({ FEEDLOOP_EXPORTS_DIR: 'out', FEEDLOOP_STATE_DIR: '/state' })).toBe(path.resolve(process.cwd(), 'out'));
    expect(exportsRoot({ FEEDLOOP_STATE_DIR: '/state' })).toBe(path.resolve('/state/exports'));
    expect(exportsRoot({})).toBe(path.resolve(process.cwd(), '.feedloop', 'exports'));
  });
});

describe('runDir', () => {
  it('is the run id under the root, and refuses anything that is not a plain id', () => {
    expect(runDir('clx123abc', ROOT)).toBe(path.join(ROOT, 'clx123abc'));
    for (const bad of ['', '..', '../x', 'a/b', 'a\\b', '.hidden', 'x'.repeat(65)]) expect(() => runDir(bad, ROOT), bad).toThrow();
  });
});

describe('runFilePath', () => {
  it('gives the listed files and the manifest inside the run folder', () => {
    expect(runFilePath(run(), 'train.jsonl', ROOT)).toBe(path.join(ROOT, 'run1', 'train.jsonl'));
    expect(runFilePath(run(), 'test.jsonl', ROOT)).toBe(path.join(ROOT, 'run1', 'test.jsonl'));
    expect(runFilePath(run(), 'manifest.json', ROOT)).toBe(path.join(ROOT, 'run1', 'manifest.json'));
    expect(downloadableNames(run(), ROOT)).toEqual(['train.jsonl', 'test.jsonl', 'manifest.json']);
  });

  it('refuses names the run does not list, and every path trick', () => {
    const single = run({ files: [files[0]] });
    for (const name of ['test.jsonl', '../x', '../run2/manifest.json', '/etc/passwd', 'train.jsonl/..', './train.jsonl', '', '.', '..', 'TRAIN.JSONL', 'train.jsonl\0']) {
      expect(runFilePath(single, name, ROOT), name).toBeNull();
    }
  });

  it('refuses a run that did not finish, or whose files were written outside its folder', () => {
    expect(runFilePath(run({ status: 'RUNNING' }), 'train.jsonl', ROOT)).toBeNull();
    expect(runFilePath(run({ status: 'FAILED' }), 'manifest.json', ROOT)).toBeNull();
    expect(runFilePath(run({ path: '/home/me/out' }), 'train.jsonl', ROOT)).toBeNull();
    expect(runFilePath(run({ path: path.join(ROOT, 'run2') }), 'train.jsonl', ROOT)).toBeNull();
    expect(runFilePath(run({ path: null }), 'train.jsonl', ROOT)).toBeNull();
    expect(runFilePath(run({ id: '../run1', path: ROOT }), 'train.jsonl', ROOT)).toBeNull();
  });

  it('ignores recorded file entries that are not plain names', () => {
    const tampered = run({ files: [...files, { name: '../../secret', rows: 1, sha256: 'c' }, { name: '.env', rows: 1, sha256: 'd' }] });
    expect(runFiles(tampered.files).map((f) => f.name)).toEqual(['train.jsonl', 'test.jsonl']);
    expect(runFilePath(tampered, '../../secret', ROOT)).toBeNull();
    expect(runFilePath(tampered, '.env', ROOT)).toBeNull();
    expect(runFiles('not a list')).toEqual([]);
  });
});
