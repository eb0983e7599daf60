/**
 * A checkpoint is a directory any tool can read:
 *   config.json        the model (ModelConfig)
 *   tokenizer.json     the byte-level BPE merges
 *   model.safetensors  the weights (float32, names as in model.ts)
 *   training.json      what produced it: kind, step, hyper-parameters, data, metrics
 *   optimizer.safetensors, reference.safetensors   only while resumable / for DPO
 * safetensors: an 8-byte little-endian header length, a JSON header of name → dtype, shape,
 * byte offsets, then the raw little-endian data. Simple, safe (no code), framework-neutral.
 *
 * A save is atomic as a whole, so no reader (resume, the inference worker, a download) ever
 * sees model weights of one step next to optimizer state of another. Every save writes a
 * complete new folder `<dir>.saves/<n>`, and `<dir>` is a symbolic link to the newest one,
 * replaced by rename(2), which swaps a link atomically on Linux. Folders are never changed
 * once complete; the one the link moved away from is removed right after, and whatever a
 * crashed save left behind by the next save. A crash at any point leaves `<dir>` naming a
 * complete checkpoint: the previous one until the link moves, the new one after.
 * Copy a checkpoint with `cp -rL`; delete it together with `<dir>.saves`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { tf } from './backend.ts';
import { modelConfigSchema, type ModelConfig } from './config.ts';
import type { Params } from './model.ts';
import { checkCheckpointFolder, currentFolder, MODEL_FILES, readFiles, STATE_FILES, storeOf, VERSION, versions } from './checkpoint-folder.ts';
import { Tokenizer, type TokenizerJson } from './tokenizer.ts';

export { checkCheckpointFolder, isCheckpoint } from './checkpoint-folder.ts';

function encodeSafetensors(tensors: Map<string, tf.Tensor>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, tensor] of tensors) {
    if (tensor.dtype !== 'float32') throw new Error(`${name}: only float32 tensors are saved, not ${tensor.dtype}`);
    const data = tensor.dataSync() as Float32Array;
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(Buffer.from(bytes));
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([length, Buffer.from(json), ...chunks]);
}

export function writeSafetensors(file: string, tensors: Map<string, tf.Tensor>, metadata: Record<string, string> = {}): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, encodeSafetensors(tensors, metadata));
  // Rename last, so an interrupted save never leaves a half-written file under the real name.
  fs.renameSync(tmp, file);
}

const entrySchema = z.object({ dtype: z.literal('F32'), shape: z.array(z.number().int().min(0)), data_offsets: z.tuple([z.number().int().min(0), z.number().int().min(0)]) });

export function readSafetensors(file: string): { tensors: Map<string, tf.Tensor>; metadata: Record<string, string> } {
  return parseSafetensors(fs.readFileSync(file), file);
}

function parseSafetensors(buffer: Buffer, file: string): { tensors: Map<string, tf.Tensor>; metadata: Record<string, string> } {
  if (buffer.length < 8) throw new Error(`${file}: too short to be a safetensors file`);
  const headerLength = Number(buffer.readBigUInt64LE(0));
  if (8 + headerLength > buffer.length) throw new Error(`${file}: the header runs past the end of the file`);
  const header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
  const base = 8 + headerLength;
  const tensors = new Map<string, tf.Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${file}: tensor "${name}": ${parsed.error.issues[0]?.message}`);
    const { shape, data_offsets: [start, end] } = parsed.data;
    const size = shape.reduce((a, b) => a * b, 1);
    if (end < start || end - start !== size * 4 || base + end > buffer.length) {
      tf.dispose([...tensors.values()]);
      throw new Error(`${file}: tensor "${name}" has inconsistent offsets`);
    }
    // Copy: a Buffer may be a view into a shared pool at an unaligned offset.
    const data = new Float32Array(size);
    new Uint8Array(data.buffer).set(buffer.subarray(base + start, base + end));
    tensors.set(name, tf.tensor(data, shape, 'float32'));
  }
  return { tensors, metadata };
}

export const trainingInfoSchema = z
  .object({
    kind: z.enum(['sft', 'reward', 'dpo']),
    step: z.number().int().min(0),
    steps: z.number().int().min(0),
    config: z.record(z.string(), z.unknown()),
    data: z.string().nullable(),
    init: z.string().nullable(),
    metrics: z.array(z.record(z.string(), z.unknown())),
    finished: z.boolean(),
    updatedAt: z.string(),
  })
  .passthrough();
export type TrainingInfo = z.infer<typeof trainingInfoSchema>;

export interface Checkpoint {
  config: ModelConfig;
  tokenizer: Tokenizer;
  params: Params;
  training: TrainingInfo | null;
}

export interface CheckpointState extends Checkpoint {
  optimizer: { step: number; state: Map<string, tf.Tensor> } | null;
  reference: Params | null;
}

function writeDurably(file: string, data: string | Buffer): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncFolder(folder: string): void {
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes a saved folder so that a reader of it notices (see readFiles): renamed away first, then deleted. */
function retire(store: string, name: string): void {
  const trash = path.join(store, `trash-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.renameSync(path.join(store, name), trash);
  fs.rmSync(trash, { recursive: true, force: true });
}

/** Stages of a save, for tests that stop it at each one as a crash would. */
export type SaveStage = 'model' | 'reference' | 'optimizer' | 'config' | 'tokenizer' | 'training' | 'complete' | 'unlinked' | 'linked' | 'retired';

/**
 * Saves a complete checkpoint as `dir`: the files written are exactly the ones given here (an
 * optimizer or reference left out is not carried over from the previous save).
 */
export function saveCheckpoint(
  dir: string,
  checkpoint: Checkpoint,
  extra: { optimizer?: { step: number; state: Map<string, tf.Tensor> } | null; reference?: Params | null } = {},
  options: { afterStage?: (stage: SaveStage) => void } = {},
): void {
  const stage = options.afterStage ?? (() => {});
  const target = path.resolve(dir);
  checkCheckpointFolder(dir);
  const store = storeOf(target);
  fs.mkdirSync(store, { recursive: true });
  const kept = currentFolder(target)?.version ?? null;
  // Leftovers of interrupted saves: unfinished folders, unused links, folders no link names.
  for (const name of fs.readdirSync(store)) {
    if (name === kept) continue;
    if (VERSION.test(name)) retire(store, name);
    else fs.rmSync(path.join(store, name), { recursive: true, force: true });
  }

  const partial = path.join(store, `partial-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.mkdirSync(partial);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  writeDurably(path.join(partial, 'model.safetensors'), encodeSafetensors(checkpoint.params, { format: 'pt' }));
  stage('model');
  if (extra.reference) {
    writeDurably(path.join(partial, 'reference.safetensors'), encodeSafetensors(extra.reference));
    stage('reference');
  }
  if (extra.optimizer) {
    writeDurably(path.join(partial, 'optimizer.safetensors'), encodeSafetensors(extra.optimizer.state, { step: String(extra.optimizer.step) }));
    stage('optimizer');
  }
  writeDurably(path.join(partial, 'config.json'), json(checkpoint.config));
  stage('config');
  writeDurably(path.join(partial, 'tokenizer.json'), json(checkpoint.tokenizer.toJSON()));
  stage('tokenizer');
  if (checkpoint.training) {
    writeDurably(path.join(partial, 'training.json'), json(checkpoint.training));
    stage('training');
  }
  // Durable before it gets a complete name, and named before any link can point at it.
  syncFolder(partial);
  const name = String(Number(versions(store).at(-1) ?? -1) + 1).padStart(8, '0');
  fs.renameSync(partial, path.join(store, name));
  syncFolder(store);
  stage('complete');

  const link = path.join(store, `link-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.symlinkSync(path.join(path.basename(store), name), link);
  let plain: string | null = null;
  if (fs.lstatSync(target, { throwIfNoEntry: false })?.isDirectory()) {
    // A plain folder cannot be swapped for a link in one step. Until the link is in place,
    // readers find the newest complete save (currentFolder), which is the one just written.
    plain = path.join(store, `plain-${process.pid}-${Math.random().toString(36).slice(2)}`);
    fs.renameSync(target, plain);
    stage('unlinked');
  }
  fs.renameSync(link, target);
  syncFolder(path.dirname(target));
  stage('linked');
  if (kept) retire(store, kept);
  if (plain) fs.rmSync(plain, { recursive: true, force: true });
  stage('retired');
}


function parseCheckpoint(dir: string, files: Map<string, Buffer | null>): Checkpoint {
  const [configBytes, tokenizerBytes, modelBytes, trainingBytes] = MODEL_FILES.map((name) => files.get(name) ?? null);
  if (!configBytes || !modelBytes) throw new Error(`${dir}: not a checkpoint (config.json and model.safetensors expected)`);
  if (!tokenizerBytes) throw new Error(`${dir}: tokenizer.json is missing`);
  const config = modelConfigSchema.parse(JSON.parse(configBytes.toString('utf8')));
  const tokenizer = Tokenizer.fromJSON(JSON.parse(tokenizerBytes.toString('utf8')) as TokenizerJson);
  const training = trainingBytes ? trainingInfoSchema.parse(JSON.parse(trainingBytes.toString('utf8'))) : null;
  if (tokenizer.vocabSize !== config.vocabSize) throw new Error(`${dir}: tokenizer has ${tokenizer.vocabSize} tokens, config says ${config.vocabSize}`);
  const { tensors } = parseSafetensors(modelBytes, path.join(dir, 'model.safetensors'));
  return { config, tokenizer, params: tensors, training };
}

export function loadCheckpoint(dir: string): Checkpoint {
  return parseCheckpoint(dir, readFiles(dir, MODEL_FILES));
}

/** The checkpoint with its optimizer state and DPO reference (unless not wanted), all from the same save: for resuming and DPO evaluation. */
export function loadCheckpointState(dir: string, want: { optimizer?: boolean; reference?: boolean } = {}): CheckpointState {
  const files = readFiles(dir, STATE_FILES.filter((name) => (name !== 'optimizer.safetensors' || want.optimizer !== false) && (name !== 'reference.safetensors' || want.reference !== false)));
  const checkpoint = parseCheckpoint(dir, files);
  const optimizerBytes = files.get('optimizer.safetensors');
  const referenceBytes = files.get('reference.safetensors');
  try {
    const optimizer = optimizerBytes ? parseSafetensors(optimizerBytes, path.join(dir, 'optimizer.safetensors')) : null;
    return {
      ...checkpoint,
      optimizer: optimizer && { step: Number(optimizer.metadata.step ?? 0), state: optimizer.tensors },
      reference: referenceBytes ? parseSafetensors(referenceBytes, path.join(dir, 'reference.safetensors')).tensors : null,
    };
  } catch (error) {
    tf.dispose([...checkpoint.params.values()]);
    throw error;
  }
}
