/**
 * Where a checkpoint's files are, read without TensorFlow.js so that the web server can use it:
 * `<dir>` is a symbolic link to the newest complete save in `<dir>.saves/` (see checkpoint.ts for
 * how saves are made atomic), or a plain folder written before saves were atomic.
 */
import fs from 'node:fs';
import path from 'node:path';

export const VERSION = /^\d{8}$/;
export const storeOf = (dir: string) => `${path.resolve(dir)}.saves`;

/** The complete saved folders of `dir`, oldest first. */
export function versions(store: string): string[] {
  return (fs.existsSync(store) ? fs.readdirSync(store) : []).filter((name) => VERSION.test(name)).sort();
}

/**
 * The folder holding `dir`'s checkpoint, and its name in the store when it is one of ours: the
 * link's target; `dir` itself when it is a plain folder (written before saves were atomic, or
 * by hand); the newest complete save when the link is missing (a crash while a plain folder was
 * being replaced by a link); null when there is none.
 */
export function currentFolder(dir: string): { folder: string; version: string | null } | null {
  const target = path.resolve(dir);
  const store = storeOf(target);
  const stat = fs.lstatSync(target, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) {
    // Read the link rather than resolve it: a link elsewhere in the path must not hide that it names our store.
    const link = fs.readlinkSync(target);
    const version = path.dirname(link) === path.basename(store) && VERSION.test(path.basename(link)) ? path.basename(link) : null;
    if (version) return fs.existsSync(path.join(store, version)) ? { folder: path.join(store, version), version } : null;
    return fs.existsSync(target) ? { folder: fs.realpathSync(target), version: null } : null;
  }
  if (stat?.isDirectory()) return { folder: target, version: null };
  if (stat) return null;
  const newest = versions(store).at(-1);
  return newest ? { folder: path.join(store, newest), version: newest } : null;
}

/**
 * The named files of `dir`'s checkpoint, read whole (null where absent), all from one folder.
 * A save may move the folder away while it is read: a saved folder is retired by renaming it
 * before anything in it is deleted, and a plain folder is renamed into the store before the link
 * replaces it. So when the folder is still in place after every read, each read saw it complete;
 * otherwise the reads start again on the folder that replaced it.
 */
export function readFiles(dir: string, names: readonly string[]): Map<string, Buffer | null> {
  const target = path.resolve(dir);
  for (let attempt = 0; ; attempt++) {
    const current = currentFolder(target);
    if (!current) throw new Error(`${dir}: not a checkpoint (config.json and model.safetensors expected)`);
    const { folder, version } = current;
    const inPlace = () => (version !== null ? fs.existsSync(folder) : folder !== target || !!fs.lstatSync(target, { throwIfNoEntry: false })?.isDirectory());
    try {
      const files = new Map(names.map((name) => [name, readIfPresent(path.join(folder, name))] as const));
      if (inPlace()) return files;
    } catch (error) {
      if (inPlace()) throw error;
    }
    if (attempt >= 3) throw new Error(`${dir}: the checkpoint kept changing while it was read`);
  }
}

function readIfPresent(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function isCheckpoint(dir: string): boolean {
  const folder = currentFolder(dir)?.folder;
  return !!folder && fs.existsSync(path.join(folder, 'config.json')) && fs.existsSync(path.join(folder, 'model.safetensors'));
}

export const MODEL_FILES = ['config.json', 'tokenizer.json', 'model.safetensors', 'training.json'] as const;
export const STATE_FILES = [...MODEL_FILES, 'optimizer.safetensors', 'reference.safetensors'] as const;

/**
 * A save replaces its folder as a whole, so a folder that holds anything but checkpoint files
 * (`--out .`, a folder of other runs) is refused rather than swept away. Trainers ask before the
 * first step, so that nobody trains for an hour to a folder that cannot take the result.
 */
export function checkCheckpointFolder(dir: string): void {
  const existing = fs.lstatSync(path.resolve(dir), { throwIfNoEntry: false });
  if (existing?.isDirectory()) {
    const foreign = fs.readdirSync(dir).filter((name) => !(STATE_FILES as readonly string[]).includes(name) && !name.endsWith('.tmp'));
    if (foreign.length > 0) throw new Error(`${dir} holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); a checkpoint takes its folder whole: choose a new or empty one`);
  } else if (existing && !existing.isSymbolicLink()) throw new Error(`${dir} exists and is not a folder`);
}
