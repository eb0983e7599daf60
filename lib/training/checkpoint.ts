/**
 * A checkpoint is a directory any tool can read:
 *   config.json        the model (ModelConfig)
 *   tokenizer.json     the byte-level BPE merges
 *   model.safetensors  the weights (float32, names as in model.ts)
 *   training.json      what produced it: kind, step, hyper-parameters, data, metrics
 *   optimizer.safetensors, reference.safetensors   only while resumable / for DPO
 * safetensors: an 8-byte little-endian header length, a JSON header of name → dtype, shape,
 * byte offsets, then the raw little-endian data. Simple, safe (no code), framework-neutral.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { tf } from './backend.ts';
import { modelConfigSchema, type ModelConfig } from './config.ts';
import type { Params } from './model.ts';
import { Tokenizer, type TokenizerJson } from './tokenizer.ts';

export function writeSafetensors(file: string, tensors: Map<string, tf.Tensor>, metadata: Record<string, string> = {}): void {
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
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([length, Buffer.from(json), ...chunks]));
  // Rename last, so an interrupted save never leaves a half-written file under the real name.
  fs.renameSync(tmp, file);
}

const entrySchema = z.object({ dtype: z.literal('F32'), shape: z.array(z.number().int().min(0)), data_offsets: z.tuple([z.number().int().min(0), z.number().int().min(0)]) });

export function readSafetensors(file: string): { tensors: Map<string, tf.Tensor>; metadata: Record<string, string> } {
  const buffer = fs.readFileSync(file);
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

export function saveCheckpoint(
  dir: string,
  checkpoint: Checkpoint,
  extra: { optimizer?: { step: number; state: Map<string, tf.Tensor> } | null; reference?: Params | null } = {},
): void {
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, value: unknown) => {
    fs.writeFileSync(path.join(dir, `${name}.tmp`), `${JSON.stringify(value, null, 2)}\n`);
    fs.renameSync(path.join(dir, `${name}.tmp`), path.join(dir, name));
  };
  writeSafetensors(path.join(dir, 'model.safetensors'), checkpoint.params, { format: 'pt' });
  if (extra.reference) writeSafetensors(path.join(dir, 'reference.safetensors'), extra.reference);
  if (extra.optimizer) writeSafetensors(path.join(dir, 'optimizer.safetensors'), extra.optimizer.state, { step: String(extra.optimizer.step) });
  else if (extra.optimizer === null) fs.rmSync(path.join(dir, 'optimizer.safetensors'), { force: true });
  write('config.json', checkpoint.config);
  write('tokenizer.json', checkpoint.tokenizer.toJSON());
  // Written last: a directory with training.json is a complete checkpoint.
  if (checkpoint.training) write('training.json', checkpoint.training);
}

export function isCheckpoint(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'config.json')) && fs.existsSync(path.join(dir, 'model.safetensors'));
}

export function loadCheckpoint(dir: string): Checkpoint {
  if (!isCheckpoint(dir)) throw new Error(`${dir}: not a checkpoint (config.json and model.safetensors expected)`);
  const config = modelConfigSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')));
  const tokenizer = Tokenizer.fromJSON(JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as TokenizerJson);
  const trainingFile = path.join(dir, 'training.json');
  const training = fs.existsSync(trainingFile) ? trainingInfoSchema.parse(JSON.parse(fs.readFileSync(trainingFile, 'utf8'))) : null;
  const { tensors } = readSafetensors(path.join(dir, 'model.safetensors'));
  if (tokenizer.vocabSize !== config.vocabSize) throw new Error(`${dir}: tokenizer has ${tokenizer.vocabSize} tokens, config says ${config.vocabSize}`);
  return { config, tokenizer, params: tensors, training };
}

export function loadOptimizerState(dir: string): { step: number; state: Map<string, tf.Tensor> } | null {
  const file = path.join(dir, 'optimizer.safetensors');
  if (!fs.existsSync(file)) return null;
  const { tensors, metadata } = readSafetensors(file);
  return { step: Number(metadata.step ?? 0), state: tensors };
}

export function loadReference(dir: string): Params | null {
  const file = path.join(dir, 'reference.safetensors');
  return fs.existsSync(file) ? readSafetensors(file).tensors : null;
}
