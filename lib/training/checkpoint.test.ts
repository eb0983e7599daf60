import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tensorflow, tf } from './backend.ts';
import { isCheckpoint, loadCheckpoint, loadCheckpointState, readSafetensors, saveCheckpoint, type SaveStage, type TrainingInfo } from './checkpoint.ts';
import { modelConfigSchema, type ModelConfig } from './config.ts';
import { initParams } from './model.ts';
import { trainTokenizer, type Tokenizer } from './tokenizer.ts';

let root: string;
let tokenizer: Tokenizer;
let config: ModelConfig;

beforeAll(async () => {
  await tensorflow();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-checkpoint-'));
  tokenizer = trainTokenizer(['The capital of France is Paris.', 'Water boils at 100 degrees Celsius at sea level.', 'Hello again, hello world.'], 300);
  config = modelConfigSchema.parse({ vocabSize: tokenizer.vocabSize, contextLength: 16, layers: 1, width: 8, heads: 2 });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Saves a checkpoint in which every file carries `step`: weights, optimizer state, DPO reference and training.json. */
function saveStep(dir: string, step: number, afterStage?: (stage: SaveStage) => void): void {
  const params = new Map([...initParams(config, 1)].map(([name, tensor]) => [name, tf.keep(tf.tidy(() => tf.fill(tensor.shape, step)))] as const));
  const state = new Map([['m.wte', tf.fill([3], step * 10)]]);
  const reference = new Map([['wte', tf.fill([2], step * 100)]]);
  const training: TrainingInfo = { kind: 'dpo', step, steps: 10, config: {}, data: null, init: null, metrics: [], finished: false, updatedAt: new Date(0).toISOString() };
  try {
    saveCheckpoint(dir, { config, tokenizer, params, training }, { optimizer: { step, state }, reference }, { afterStage });
  } finally {
    tf.dispose([...params.values(), ...state.values(), ...reference.values()]);
  }
}

/** The step of the checkpoint at `dir`, after checking that every one of its files belongs to that step. */
function consistentStep(dir: string): number {
  const saved = loadCheckpointState(dir);
  try {
    const step = saved.training!.step;
    for (const [name, tensor] of saved.params) expect(new Set(tensor.dataSync()), name).toEqual(new Set([step]));
    expect(saved.optimizer?.step).toBe(step);
    expect(Array.from(saved.optimizer!.state.get('m.wte')!.dataSync())).toEqual([step * 10, step * 10, step * 10]);
    expect(Array.from(saved.reference!.get('wte')!.dataSync())).toEqual([step * 100, step * 100]);
    return step;
  } finally {
    tf.dispose([...saved.params.values(), ...saved.optimizer!.state.values(), ...saved.reference!.values()]);
  }
}

/** What a reader that opens `<dir>/<file>` by path sees (the download route, the served-model check). */
function stepByPath(dir: string): number | null {
  if (!fs.existsSync(path.join(dir, 'training.json'))) return null;
  const step = (JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8')) as TrainingInfo).step;
  const { tensors, metadata } = readSafetensors(path.join(dir, 'optimizer.safetensors'));
  const model = readSafetensors(path.join(dir, 'model.safetensors')).tensors;
  try {
    expect(Number(metadata.step)).toBe(step);
    expect(model.get('wte')!.dataSync()[0]).toBe(step);
    return step;
  } finally {
    tf.dispose([...tensors.values(), ...model.values()]);
  }
}

const crashAt = (stop: SaveStage) => (stage: SaveStage) => {
  if (stage === stop) throw new Error(`crashed after ${stage}`);
};

/** After a save that ran to the end, only the checkpoint's own folder is left in the store. */
function expectTidy(dir: string): void {
  expect(fs.lstatSync(dir).isSymbolicLink()).toBe(true);
  expect(fs.readdirSync(`${dir}.saves`)).toEqual([path.basename(fs.readlinkSync(dir))]);
}

describe('saving a checkpoint', () => {
  it('is atomic: stopped at any stage, the previous checkpoint stays whole until the new one is, and the next save clears the leftovers', () => {
    const stages: SaveStage[] = [];
    saveStep(path.join(root, 'probe'), 1);
    saveStep(path.join(root, 'probe'), 2, (stage) => stages.push(stage));
    expect(stages).toEqual(['model', 'reference', 'optimizer', 'config', 'tokenizer', 'training', 'complete', 'linked', 'retired']);

    for (const stop of stages) {
      const dir = path.join(root, `stop-${stop}`);
      saveStep(dir, 1);
      expect(() => saveStep(dir, 2, crashAt(stop)), stop).toThrow(`crashed after ${stop}`);
      const expected = stages.indexOf(stop) >= stages.indexOf('linked') ? 2 : 1;
      expect(consistentStep(dir), stop).toBe(expected);
      expect(stepByPath(dir), stop).toBe(expected);
      saveStep(dir, 3);
      expect(consistentStep(dir), stop).toBe(3);
      expectTidy(dir);
    }
  });

  it('replaces a plain checkpoint folder (the layout before atomic saves) without ever showing a mix', () => {
    const source = path.join(root, 'source');
    saveStep(source, 1);
    const stages: SaveStage[] = [];
    for (const stop of [null, 'complete', 'unlinked', 'linked'] as const) {
      const dir = path.join(root, `plain-${stop}`);
      fs.cpSync(source, dir, { recursive: true, dereference: true });
      expect(fs.lstatSync(dir).isDirectory()).toBe(true);
      expect(consistentStep(dir)).toBe(1);
      if (stop === null) {
        saveStep(dir, 2, (stage) => stages.push(stage));
        expect(stages).toContain('unlinked');
        expect(consistentStep(dir)).toBe(2);
        expectTidy(dir);
        continue;
      }
      expect(() => saveStep(dir, 2, crashAt(stop))).toThrow(`crashed after ${stop}`);
      // Between moving the plain folder away and linking, the newest complete save stands in.
      expect(consistentStep(dir), stop).toBe(stop === 'complete' ? 1 : 2);
      expect(isCheckpoint(dir), stop).toBe(true);
      saveStep(dir, 3);
      expect(consistentStep(dir)).toBe(3);
      expectTidy(dir);
    }
  });

  it('ignores unfinished and unlinked folders left by a crash, and the next save removes them', () => {
    const dir = path.join(root, 'leftovers');
    saveStep(dir, 1);
    saveStep(path.join(root, 'other'), 7);
    // A half-written save and a complete one the link never moved to, both of another step.
    const store = `${dir}.saves`;
    fs.mkdirSync(path.join(store, 'partial-1-x'));
    fs.copyFileSync(path.join(root, 'other', 'model.safetensors'), path.join(store, 'partial-1-x', 'model.safetensors'));
    fs.cpSync(path.join(root, 'other'), path.join(store, '00000099'), { recursive: true, dereference: true });
    fs.symlinkSync('leftovers.saves/00000099', path.join(store, 'link-1-x'));
    expect(consistentStep(dir)).toBe(1);
    expect(stepByPath(dir)).toBe(1);
    saveStep(dir, 2);
    expect(consistentStep(dir)).toBe(2);
    expectTidy(dir);
  });

  it('a reader whose folder a save retires mid-read starts again on the new checkpoint', () => {
    const dir = path.join(root, 'mid-read');
    saveStep(dir, 1);
    const read = fs.readFileSync;
    let saved = false;
    const spy = vi.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => {
      if (!saved && String(file).endsWith('model.safetensors')) {
        saved = true;
        saveStep(dir, 2);
      }
      return read(file, options as BufferEncoding);
    }) as typeof fs.readFileSync);
    try {
      expect(consistentStep(dir)).toBe(2);
      expect(saved).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a folder that holds anything but checkpoint files, and leaves it as it was', () => {
    const dir = path.join(root, 'busy');
    fs.mkdirSync(path.join(dir, 'other-run'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(() => saveStep(dir, 1)).toThrow(/holds other files \(.*notes\.txt.*\); a checkpoint takes its folder whole: choose a new or empty one/);
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(dir, 'other-run'))).toBe(true);
    // An empty folder is fine.
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    saveStep(empty, 2);
    expect(consistentStep(empty)).toBe(2);
  });

  it('writes exactly the files it is given: a finished save leaves no optimizer state behind', () => {
    const dir = path.join(root, 'finished');
    saveStep(dir, 1);
    const model = loadCheckpoint(dir);
    saveCheckpoint(dir, { ...model, training: { ...model.training!, finished: true } }, { optimizer: null, reference: null });
    tf.dispose([...model.params.values()]);
    const state = loadCheckpointState(dir);
    expect(state).toMatchObject({ optimizer: null, reference: null, training: { finished: true } });
    tf.dispose([...state.params.values()]);
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'training.json']);
    expectTidy(dir);
  });
});
