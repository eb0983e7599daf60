/**
 * Where the admin page's exports are kept, and the one way back to their files: a run's
 * folder is `<exports root>/<run id>`, and a download may read only a file that the run
 * itself lists (plus its manifest) from inside that folder. Nothing a request sends is ever
 * joined onto a path unchecked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Queryable } from '../db.ts';
import type { ExportFile } from './run.ts';

export const MANIFEST = 'manifest.json';

/** `FEEDLOOP_EXPORTS_DIR`, or `<FEEDLOOP_STATE_DIR or ./.feedloop>/exports`, against the working folder. */
export function exportsRoot(env: Record<string, string | undefined> = process.env): string {
  if (env.FEEDLOOP_EXPORTS_DIR) return path.resolve(env.FEEDLOOP_EXPORTS_DIR);
  return path.resolve(env.FEEDLOOP_STATE_DIR || '.feedloop', 'exports');
}

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A plain file name: no separators, no leading dot, so never `..` or a hidden file. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The folder of one run's files. Throws for anything that is not a plain id. */
export function runDir(runId: string, root: string = exportsRoot()): string {
  if (!RUN_ID.test(runId)) throw new Error(`not an export run id: ${JSON.stringify(runId)}`);
  return path.join(root, runId);
}

const fileList = z.array(z.object({ name: z.string(), rows: z.number(), sha256: z.string() }));

/** The files a run recorded (its `files` JSON), keeping only entries with a plain file name. */
export function runFiles(files: unknown): ExportFile[] {
  const parsed = fileList.safeParse(files);
  return parsed.success ? parsed.data.filter((file) => FILE_NAME.test(file.name) && file.name !== MANIFEST) : [];
}

export interface StoredRun {
  id: string;
  status: string;
  path: string | null;
  files: unknown;
}

/** The names a finished run offers for download: its files, then its manifest; none when it was written elsewhere. */
export function downloadableNames(run: StoredRun, root: string = exportsRoot()): string[] {
  if (run.status !== 'SUCCEEDED' || !run.path || !RUN_ID.test(run.id)) return [];
  if (path.resolve(run.path) !== runDir(run.id, root)) return [];
  return [...runFiles(run.files).map((file) => file.name), MANIFEST];
}

/**
 * The absolute path of `name` in a run's folder, or null unless `name` is exactly one of the
 * names the run lists (see `downloadableNames`). Does not touch the disk.
 */
export function runFilePath(run: StoredRun, name: string, root: string = exportsRoot()): string | null {
  if (!FILE_NAME.test(name) || !downloadableNames(run, root).includes(name)) return null;
  const dir = runDir(run.id, root);
  const file = path.join(dir, name);
  return path.dirname(file) === dir ? file : null;
}

/** A run's file as it is on disk (a regular file, not a link), or null when it is not there. */
export async function findRunFile(db: Queryable, runId: string, name: string, root: string = exportsRoot()) {
  if (!RUN_ID.test(runId)) return null;
  const run = await db.exportRun.findUnique({
    where: { id: runId },
    select: { id: true, status: true, path: true, files: true, project: { select: { slug: true } } },
  });
  if (!run) return null;
  const file = runFilePath(run, name, root);
  if (!file) return null;
  const stat = await fs.promises.lstat(file).catch(() => null);
  if (!stat?.isFile()) return null;
  return { path: file, size: stat.size, downloadName: `${run.project.slug}-${run.id}-${name}` };
}

const runSelect = {
  id: true,
  kind: true,
  format: true,
  filters: true,
  status: true,
  rows: true,
  files: true,
  guidelineVersions: true,
  seed: true,
  testFraction: true,
  path: true,
  error: true,
  createdAt: true,
  finishedAt: true,
  project: { select: { slug: true, name: true } },
  createdBy: { select: { name: true, email: true } },
} as const;

/** A past export as the admin page and its API show it (dates as ISO strings). */
export interface ExportRunView {
  id: string;
  project: { slug: string; name: string };
  kind: 'SFT' | 'PREFERENCE';
  format: string;
  mode: string | null;
  status: string;
  rows: number;
  files: ExportFile[];
  downloads: string[];
  guidelineVersions: number[];
  seed: number;
  testFraction: number;
  error: string | null;
  createdBy: { name: string; email: string } | null;
  createdAt: string;
  finishedAt: string | null;
}

type RunRow = {
  id: string;
  kind: 'SFT' | 'PREFERENCE';
  format: string;
  filters: unknown;
  status: string;
  rows: number;
  files: unknown;
  guidelineVersions: number[];
  seed: number;
  testFraction: number;
  path: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  project: { slug: string; name: string };
  createdBy: { name: string; email: string } | null;
};

function toView(run: RunRow, root: string): ExportRunView {
  const filters = (run.filters ?? {}) as { mode?: unknown };
  return {
    id: run.id,
    project: run.project,
    kind: run.kind,
    format: run.format,
    mode: run.kind === 'PREFERENCE' && typeof filters.mode === 'string' ? filters.mode : null,
    status: run.status,
    rows: run.rows,
    files: runFiles(run.files),
    downloads: downloadableNames(run, root),
    guidelineVersions: run.guidelineVersions,
    seed: run.seed,
    testFraction: run.testFraction,
    error: run.error,
    createdBy: run.createdBy,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** Past exports of every project, newest first (runs from the command line too, without downloads). */
export async function listExportRuns(db: Queryable, options: { take?: number; root?: string } = {}): Promise<ExportRunView[]> {
  const runs = await db.exportRun.findMany({ select: runSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: options.take ?? 50 });
  return runs.map((run) => toView(run, options.root ?? exportsRoot()));
}

export async function getExportRun(db: Queryable, id: string, root: string = exportsRoot()): Promise<ExportRunView | null> {
  const run = await db.exportRun.findUnique({ where: { id }, select: runSelect });
  return run ? toView(run, root) : null;
}
