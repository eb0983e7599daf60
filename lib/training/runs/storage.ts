/**
 * Where the admin page's training runs keep their checkpoints, and the one way back to their
 * files: a run's checkpoint is `<training root>/<run id>`, and a download may read only one of
 * the file names a checkpoint is made of, from inside that folder. Nothing a request sends is
 * ever joined onto a path unchecked.
 */
import fs from 'node:fs';
import path from 'node:path';

// The turbopackIgnore comments below keep `next build` from tracing the whole project into the
// server bundle: these paths are under the training root, known only at run time.

/** `FEEDLOOP_TRAINING_DIR`, or `<FEEDLOOP_STATE_DIR or ./.feedloop>/training`, against the working folder. */
export function trainingRoot(env: Record<string, string | undefined> = process.env): string {
  if (env.FEEDLOOP_TRAINING_DIR) return path.resolve(env.FEEDLOOP_TRAINING_DIR);
  return path.resolve(env.FEEDLOOP_STATE_DIR || '.feedloop', 'training');
}

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}

/** The checkpoint folder of one run. Throws for anything that is not a plain id. */
export function checkpointDir(runId: string, root: string = trainingRoot()): string {
  if (!RUN_ID.test(runId)) throw new Error(`not a training run id: ${JSON.stringify(runId)}`);
  return path.join(root, runId);
}

/** Everything lib/training/checkpoint.ts writes, weights first; the last two exist only for DPO / while resumable. */
export const CHECKPOINT_FILES = ['model.safetensors', 'config.json', 'tokenizer.json', 'training.json', 'reference.safetensors', 'optimizer.safetensors'] as const;

export interface CheckpointFile {
  name: string;
  size: number;
}

export interface StoredCheckpoint {
  id: string;
  checkpointPath: string | null;
}

/** The run's own folder, or null when its checkpoint was recorded anywhere else. */
function ownFolder(run: StoredCheckpoint, root: string): string | null {
  if (!run.checkpointPath || !RUN_ID.test(run.id)) return null;
  const dir = checkpointDir(run.id, root);
  return path.resolve(run.checkpointPath) === dir ? dir : null;
}

async function regularFile(file: string): Promise<fs.Stats | null> {
  const stat = await fs.promises.lstat(file).catch(() => null);
  // A link could point anywhere; only plain files are served.
  return stat?.isFile() ? stat : null;
}

/** The checkpoint files of a run that are on disk, in CHECKPOINT_FILES order. */
export async function checkpointFiles(run: StoredCheckpoint, root: string = trainingRoot()): Promise<CheckpointFile[]> {
  const dir = ownFolder(run, root);
  if (!dir) return [];
  const found = await Promise.all(CHECKPOINT_FILES.map(async (name) => ({ name, stat: await regularFile(path.join(/*turbopackIgnore: true*/ dir, name)) })));
  return found.filter((f) => f.stat !== null).map((f) => ({ name: f.name, size: f.stat!.size }));
}

/** The absolute path and size of `name` in a run's checkpoint, or null unless it is one of CHECKPOINT_FILES and on disk. */
export async function checkpointFile(run: StoredCheckpoint, name: string, root: string = trainingRoot()): Promise<{ path: string; size: number } | null> {
  if (!(CHECKPOINT_FILES as readonly string[]).includes(name)) return null;
  const dir = ownFolder(run, root);
  if (!dir) return null;
  const file = path.join(/*turbopackIgnore: true*/ dir, name);
  const stat = await regularFile(file);
  return stat ? { path: file, size: stat.size } : null;
}
