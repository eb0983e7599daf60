import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { recordAudit } from '../audit.ts';
import type { Db } from '../db.ts';
import type { ExportOptions } from './options.ts';
import { exportLines } from './rows.ts';
import { splitOf, type Split } from './split.ts';

export interface ExportFile {
  name: string;
  rows: number;
  sha256: string;
}

export interface ExportResult {
  runId: string;
  dir: string;
  rows: number;
  files: ExportFile[];
  guidelineVersions: number[];
}

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A JSONL file written line by line, respecting back-pressure, hashed as it goes. */
class JsonlFile {
  private readonly stream: fs.WriteStream;
  private readonly hash = crypto.createHash('sha256');
  rows = 0;

  constructor(readonly name: string, dir: string) {
    // A large buffer: waiting for 'drain' every 16 KB (the default) doubled the export time.
    this.stream = fs.createWriteStream(path.join(dir, name), { highWaterMark: 1024 * 1024 });
  }

  async write(record: object): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.hash.update(line);
    this.rows += 1;
    if (!this.stream.write(line)) await once(this.stream, 'drain');
  }

  /** Gives up on the file (after a failure): closes it and removes the partial content. */
  discard(dir: string): void {
    this.stream.destroy();
    fs.rmSync(path.join(dir, this.name), { force: true });
  }

  async close(): Promise<ExportFile> {
    this.stream.end();
    await once(this.stream, 'finish');
    return { name: this.name, rows: this.rows, sha256: this.hash.digest('hex') };
  }
}

/**
 * Writes an export into `outDir`: train.jsonl (and test.jsonl when a test fraction is asked
 * for) plus manifest.json, recording the run as an ExportRun row. Rows stream from a database
 * cursor to the files, so memory does not grow with the size of the export.
 */
export async function exportToDirectory(
  db: Db,
  databaseUrl: string,
  input: {
    projectId: string;
    options: ExportOptions;
    /** The folder to write into, or a function of the new run's id that names it. */
    outDir: string | ((runId: string) => string);
    actorId?: string | null;
    /** Called with the number of rows written so far: every 1,000 rows and once at the end. */
    onProgress?: (rows: number) => void;
  },
): Promise<ExportResult> {
  const { projectId, options } = input;
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { id: true, slug: true } });
  const run = await db.exportRun.create({
    data: {
      projectId,
      kind: options.kind === 'sft' ? 'SFT' : 'PREFERENCE',
      format: options.format,
      filters: JSON.parse(JSON.stringify(options)),
      status: 'RUNNING',
      seed: options.seed,
      testFraction: options.testFraction,
      guidelineVersions: [],
      path: typeof input.outDir === 'string' ? path.resolve(input.outDir) : null,
      createdById: input.actorId ?? null,
    },
  });
  let opened: { dir: string; files: JsonlFile[] } | null = null;
  try {
    const outDir = typeof input.outDir === 'string' ? input.outDir : input.outDir(run.id);
    if (typeof input.outDir !== 'string') await db.exportRun.update({ where: { id: run.id }, data: { path: path.resolve(outDir) } });
    fs.mkdirSync(outDir, { recursive: true });
    const files: Record<Split, JsonlFile | null> = {
      train: new JsonlFile('train.jsonl', outDir),
      test: options.testFraction > 0 ? new JsonlFile('test.jsonl', outDir) : null,
    };
    opened = { dir: outDir, files: [files.train!, ...(files.test ? [files.test] : [])] };
    const versions = new Set<number>();
    let count = 0;
    await withClient(databaseUrl, async (client) => {
      for await (const line of exportLines(client, projectId, options)) {
        line.guidelineVersions.forEach((v) => versions.add(v));
        await (files[splitOf(line.itemId, options.seed, options.testFraction)] ?? files.train)!.write(line.record);
        count += 1;
        if (count % 1000 === 0) input.onProgress?.(count);
      }
    });
    input.onProgress?.(count);
    const written = await Promise.all([files.train!.close(), ...(files.test ? [files.test.close()] : [])]);
    const guidelineVersions = [...versions].sort((a, b) => a - b);
    const rows = written.reduce((n, file) => n + file.rows, 0);
    const manifest = {
      exportRunId: run.id,
      project: project.slug,
      kind: options.kind,
      format: options.format,
      mode: options.kind === 'preference' ? options.mode : undefined,
      filters: {
        guidelineVersions: options.guidelineVersions ?? null,
        from: options.from ?? null,
        to: options.to ?? null,
        reviewStatus: options.kind === 'sft' ? options.reviewStatus : undefined,
        unsafe: options.unsafe,
        minAgreement: options.kind === 'preference' && options.mode === 'aggregate' ? options.minAgreement : undefined,
        refusals: options.refusals,
        bestOfN: options.kind === 'sft' ? options.bestOfN : undefined,
        metadata: options.metadata,
      },
      split: { seed: options.seed, testFraction: options.testFraction },
      guidelineVersions,
      rows,
      files: written,
      createdAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await db.$transaction(async (tx) => {
      await tx.exportRun.update({
        where: { id: run.id },
        data: { status: 'SUCCEEDED', rows, files: JSON.parse(JSON.stringify(written)), guidelineVersions, finishedAt: new Date() },
      });
      await recordAudit(tx, { actorId: input.actorId ?? null, action: 'export.run', entityType: 'ExportRun', entityId: run.id, after: { rows, format: options.format } });
    });
    return { runId: run.id, dir: path.resolve(outDir), rows, files: written, guidelineVersions };
  } catch (error) {
    // No half-written dataset is left behind to be mistaken for a finished one.
    for (const file of opened?.files ?? []) file.discard(opened!.dir);
    await db.exportRun.update({ where: { id: run.id }, data: { status: 'FAILED', error: (error as Error).message, finishedAt: new Date() } });
    throw error;
  }
}

/** The same rows as JSONL text, for an HTTP response; `split` picks one side of the split. */
export async function* streamExport(databaseUrl: string, projectId: string, options: ExportOptions, split: Split | 'all'): AsyncGenerator<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for await (const line of exportLines(client, projectId, options)) {
      if (split === 'all' || splitOf(line.itemId, options.seed, options.testFraction) === split) yield `${JSON.stringify(line.record)}\n`;
    }
  } finally {
    await client.end();
  }
}
