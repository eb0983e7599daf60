import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointDir, checkpointFile, checkpointFiles, trainingRoot } from './storage.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-training-storage-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('where training runs keep their checkpoints', () => {
  it('is FEEDLOOP_TRAINING_DIR, else training/ in the state folder, else in ./.feedloop', () => {
    expect(trainingRoot({ FEEDLOOP_TRAINING_DIR: '/data/train' })).toBe('/data/train');
    expect(trainingRoot({ FEEDLOOP_STATE_DIR: '/state' })).toBe('/state/training');
    expect(trainingRoot({})).toBe(path.resolve('.feedloop', 'training'));
  });

  it('names a run’s folder by its id, and nothing else', () => {
    expect(checkpointDir('abc_1-2', root)).toBe(path.join(root, 'abc_1-2'));
    for (const id of ['', '..', '../x', 'a/b', 'a.b', 'x'.repeat(65)]) expect(() => checkpointDir(id, root), id).toThrow('not a training run id');
  });

  it('serves only checkpoint file names, plain files, from the run’s own folder', async () => {
    const dir = checkpointDir('run1', root);
    fs.mkdirSync(dir);
    for (const name of ['model.safetensors', 'config.json', 'notes.txt']) fs.writeFileSync(path.join(dir, name), name);
    fs.symlinkSync('/etc/hostname', path.join(dir, 'tokenizer.json'));
    const run = { id: 'run1', checkpointPath: dir };
    expect(await checkpointFiles(run, root)).toEqual([
      { name: 'model.safetensors', size: 17 },
      { name: 'config.json', size: 11 },
    ]);
    expect(await checkpointFile(run, 'model.safetensors', root)).toEqual({ path: path.join(dir, 'model.safetensors'), size: 17 });
    for (const name of ['notes.txt', 'tokenizer.json', 'training.json', '../run1/config.json', '..', '']) expect(await checkpointFile(run, name, root), name).toBeNull();
    // A row pointing elsewhere, or at another run's folder, offers nothing.
    expect(await checkpointFiles({ id: 'run2', checkpointPath: dir }, root)).toEqual([]);
    expect(await checkpointFile({ id: 'run1', checkpointPath: '/etc' }, 'config.json', root)).toBeNull();
    expect(await checkpointFile({ id: 'run1', checkpointPath: null }, 'config.json', root)).toBeNull();
  });
});
