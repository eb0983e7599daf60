/**
 * Training runs started from the admin page. The web server only checks the request and queues
 * the run; a worker (lib/jobs) claims it and trains on the files of a past export in a child
 * process (lib/training/runs/process.ts). Progress, held-out figures and outcome live in the
 * TrainingRun row, so any app server can show it, and a cancel from any of them reaches the
 * process. A run whose worker died is resumed by another worker from its last checkpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError, invalidInput } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { requestCancel } from '../jobs/queue.ts';
import type { JobContext, JobKind } from '../jobs/worker.ts';
import type { RunStatus, TrainingKind } from '../generated/prisma/enums.ts';
import { modelConfigSchema, trainConfigSchema, type TrainConfig } from './config.ts';
import { evalLine, progressLine, resultLine } from './runs/lines.ts';
import type { LatestFigures, MetricPoint } from './runs/metrics.ts';
import { spawnTrainer, type TrainingMethod } from './runs/process.ts';
import { checkpointDir, checkpointFile, checkpointFiles, isRunId, trainingRoot, type CheckpointFile } from './runs/storage.ts';
import { FLUSH_MS, localRunIds, stopLocalRun, supervise, type TrainingSummary } from './runs/supervise.ts';

export type { TrainingMethod } from './runs/process.ts';
export type { CheckpointFile } from './runs/storage.ts';
export type { EvalPoint, LatestFigures, MetricPoint, ProgressPoint } from './runs/metrics.ts';
export type { TrainingSummary } from './runs/supervise.ts';

export const TRAINING_METHODS = ['sft', 'reward', 'dpo'] as const satisfies readonly TrainingMethod[];

const KIND_OF: Record<TrainingMethod, TrainingKind> = { sft: 'SFT', reward: 'REWARD', dpo: 'DPO' };
const METHOD_OF: Record<TrainingKind, TrainingMethod> = { SFT: 'sft', REWARD: 'reward', DPO: 'dpo' };
/** SFT learns from demonstrations; a reward model and DPO from preference pairs. */
const EXPORT_KIND_FOR: Record<TrainingMethod, 'SFT' | 'PREFERENCE'> = { sft: 'SFT', reward: 'PREFERENCE', dpo: 'PREFERENCE' };

/** The model's shape: taken from the SFT run a reward model or DPO starts from, whatever the request says. */
export const ARCHITECTURE_FIELDS = ['vocabSize', 'contextLength', 'layers', 'width', 'heads'] as const;

/** A heartbeat older than this means the worker watching the run has gone (it beats every 2 s). */
export const LOST_AFTER_MS = 60_000;

/** How many runs may train at once: each one keeps every core busy. */
export function trainingConcurrency(env: Record<string, string | undefined> = process.env): number {
  const asked = Number(env.FEEDLOOP_TRAINING_CONCURRENCY);
  return Number.isInteger(asked) && asked >= 1 ? asked : 1;
}

const optionalId = z.preprocess((value) => (value === '' ? null : value), z.string().trim().min(1).max(64).nullish());

/** The body of a start request: every hyper-parameter optional, with the ranges of trainConfigSchema. */
export const startTrainingInput = z
  .object({
    method: z.enum(TRAINING_METHODS, { message: 'choose sft, reward or dpo' }),
    exportRunId: z.string({ message: 'choose an export' }).trim().min(1, 'choose an export').max(64),
    initRunId: optionalId,
    config: trainConfigSchema.partial().prefault({}),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.method === 'dpo' && !input.initRunId) {
      ctx.addIssue({ code: 'custom', path: ['initRunId'], message: 'DPO starts from a finished SFT run: choose one' });
    }
    if (input.method === 'sft' && input.initRunId) {
      ctx.addIssue({ code: 'custom', path: ['initRunId'], message: 'SFT starts from scratch: leave the base run empty' });
    }
    if (input.initRunId) return;
    // Checked here rather than when the process reads it, so the form can point at the field.
    const shape = modelConfigSchema.safeParse({ ...pick(input.config, ARCHITECTURE_FIELDS), head: 'lm' });
    for (const issue of shape.success ? [] : shape.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['config', ...issue.path.map(String)], message: issue.message });
    }
  });

export type StartTrainingInput = z.input<typeof startTrainingInput>;

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, object[key]])) as Pick<T, K>;
}

const refused = (code: string, field: string, message: string) => new DomainError(code, `${field}: ${message}`, 400, field);

/** The export's folder, if it is a finished export of the kind `method` learns from, with its files still there. */
async function exportFolder(db: Queryable, method: TrainingMethod, exportRunId: string) {
  const run = await db.exportRun.findUnique({ where: { id: exportRunId }, select: { id: true, kind: true, status: true, path: true, projectId: true } });
  if (!run) throw refused('export_not_found', 'exportRunId', 'there is no such export');
  if (run.status !== 'SUCCEEDED') throw refused('export_not_finished', 'exportRunId', 'that export did not finish');
  const expected = EXPORT_KIND_FOR[method];
  if (run.kind !== expected) {
    throw refused('wrong_export_kind', 'exportRunId', `${method} trains on ${expected === 'SFT' ? 'an SFT' : 'a preference'} export, not ${run.kind === 'SFT' ? 'an SFT' : 'a preference'} one`);
  }
  if (!run.path || !fs.existsSync(path.join(run.path, 'train.jsonl'))) throw refused('export_files_missing', 'exportRunId', 'the files of that export are not on this server');
  return { dir: run.path, projectId: run.projectId };
}

/** The checkpoint of a finished SFT run, and the model shape it was trained with. */
async function baseRun(db: Queryable, initRunId: string, root: string) {
  const run = await db.trainingRun.findUnique({ where: { id: initRunId }, select: { id: true, kind: true, status: true, config: true, checkpointPath: true } });
  if (!run) throw refused('base_run_not_found', 'initRunId', 'there is no such training run');
  if (run.kind !== 'SFT') throw refused('wrong_base_run', 'initRunId', `the base must be an SFT run, not a ${METHOD_OF[run.kind]} one`);
  if (run.status !== 'SUCCEEDED') throw refused('base_run_not_finished', 'initRunId', 'that SFT run did not finish');
  const files = await checkpointFiles(run, root);
  if (!files.some((f) => f.name === 'model.safetensors') || !files.some((f) => f.name === 'config.json')) {
    throw refused('base_run_files_missing', 'initRunId', 'the checkpoint of that run is not on this server');
  }
  const config = trainConfigSchema.partial().safeParse(run.config);
  return { dir: checkpointDir(run.id, root), architecture: config.success ? pick(config.data, ARCHITECTURE_FIELDS) : {} };
}

/**
 * Ends running runs that were asked to cancel and that no worker watches any more (a heartbeat
 * older than LOST_AFTER_MS): nobody would end them otherwise. A lost run nobody cancelled stays
 * RUNNING: the next worker that looks for work resumes it from its checkpoint.
 */
export async function settleLostRuns(db: Queryable, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - LOST_AFTER_MS);
  const lost: Prisma.TrainingRunWhereInput = {
    status: 'RUNNING',
    id: { notIn: localRunIds() },
    cancelRequestedAt: { not: null },
    OR: [{ heartbeatAt: { lt: cutoff } }, { heartbeatAt: null, createdAt: { lt: cutoff } }],
  };
  return (await db.trainingRun.updateMany({ where: lost, data: { status: 'CANCELLED', finishedAt: now, leaseId: null } })).count;
}

// The namespace of the advisory lock that makes "count the active runs, then add one" atomic.
const START_LOCK = 'feedloop:training:start';

export interface StartOptions {
  root?: string;
  concurrency?: number;
}

/** Validates and queues the run (audited); a worker starts its process. Returns the run as the page shows it. */
export async function startTrainingRun(db: Db, actorId: string | null, raw: unknown, options: StartOptions = {}): Promise<TrainingRunView> {
  const parsed = startTrainingInput.safeParse(raw);
  if (!parsed.success) throw invalidInput(parsed.error);
  const input = parsed.data;
  const root = options.root ?? trainingRoot();
  const data = await exportFolder(db, input.method, input.exportRunId);
  const base = input.initRunId ? await baseRun(db, input.initRunId, root) : null;
  const config: TrainConfig = { ...trainConfigSchema.parse(input.config), ...base?.architecture };
  const limit = options.concurrency ?? trainingConcurrency();

  const run = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${START_LOCK}))`;
    await settleLostRuns(tx);
    const active = await tx.trainingRun.count({ where: { status: { in: ['QUEUED', 'RUNNING'] } } });
    if (active >= limit) {
      throw new DomainError('training_busy', `${active} training run${active === 1 ? ' is' : 's are'} already running; wait for it to finish or cancel it`, 409);
    }
    const created = await tx.trainingRun.create({
      data: {
        kind: KIND_OF[input.method],
        exportRunId: input.exportRunId,
        projectId: data.projectId,
        initRunId: input.initRunId ?? null,
        config,
        status: 'QUEUED',
        createdById: actorId,
      },
      select: { id: true },
    });
    // Fixed now, so that every worker that takes the run up writes to (and resumes from) one folder.
    await tx.trainingRun.update({ where: { id: created.id }, data: { checkpointPath: checkpointDir(created.id, root) } });
    await recordAudit(tx, {
      actorId,
      action: 'training.start',
      entityType: 'TrainingRun',
      entityId: created.id,
      after: { method: input.method, exportRunId: input.exportRunId, initRunId: input.initRunId ?? null, config },
    });
    return created;
  });
  return (await getTrainingRun(db, run.id, root))!;
}

/**
 * Trains a claimed run in a child process and watches it to the end. A run taken up again
 * (its worker died, or handed it back on shutdown) is started with the same command and
 * folder, and the trainer resumes from the checkpoint there.
 */
export async function executeTrainingRun(context: JobContext, options: { root?: string } = {}): Promise<void> {
  const { db, job } = context;
  const root = options.root ?? trainingRoot();
  const run = await db.trainingRun.findUniqueOrThrow({
    where: { id: job.id },
    select: { id: true, kind: true, exportRunId: true, initRunId: true, config: true, checkpointPath: true, cancelRequestedAt: true, metrics: true },
  });
  const mine = { id: run.id, leaseId: job.leaseId, status: 'RUNNING' as const };
  if (run.cancelRequestedAt) {
    await db.trainingRun.updateMany({ where: mine, data: { status: 'CANCELLED', finishedAt: new Date(), leaseId: null, heartbeatAt: null } });
    return;
  }
  const method = METHOD_OF[run.kind];
  if (!run.exportRunId) throw new Error('the export this run trains on was deleted');
  const data = await exportFolder(db, method, run.exportRunId);
  const base = run.initRunId ? await baseRun(db, run.initRunId, root) : null;
  const config = trainConfigSchema.parse(run.config);
  const out = run.checkpointPath ?? checkpointDir(run.id, root);
  if (finishedCheckpoint(out, method)) {
    // The trainer finished but its worker died before writing that down; the trainer would refuse the folder now.
    await db.trainingRun.updateMany({ where: mine, data: { status: 'SUCCEEDED', checkpointPath: out, finishedAt: new Date(), leaseId: null, heartbeatAt: null } });
    return;
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const child = spawnTrainer({ method, data: data.dir, out, init: base?.dir ?? null, config });
  await supervise(db, run.id, child, {
    out,
    job,
    handOver: context.stopping,
    previous: metricsSchema.parse(run.metrics),
    flushMs: Math.min(FLUSH_MS, context.heartbeatMs),
    staleMs: context.staleMs,
  });
}

function finishedCheckpoint(out: string, method: TrainingMethod): boolean {
  try {
    const saved = JSON.parse(fs.readFileSync(path.join(/*turbopackIgnore: true*/ out, 'training.json'), 'utf8')) as { kind?: string; finished?: boolean };
    return saved.kind === method && saved.finished === true;
  } catch {
    return false;
  }
}

/** The worker's job kind for training runs: at most FEEDLOOP_TRAINING_CONCURRENCY at once, each keeps every core busy. */
export function trainingJob(options: { root?: string; concurrency?: number } = {}): JobKind {
  return { name: 'training', table: 'TrainingRun', limit: options.concurrency ?? trainingConcurrency(), run: (context) => executeTrainingRun(context, options) };
}

/**
 * Cancels a run, from any server: a queued run (or one whose worker is gone) ends at once; the
 * process of a running one saves a checkpoint and the run ends CANCELLED. Audited.
 */
export async function cancelTrainingRun(db: Db, actorId: string | null, runId: string, root: string = trainingRoot()): Promise<TrainingRunView> {
  if (!isRunId(runId)) throw new DomainError('not_found', 'There is no such training run.', 404);
  await db.$transaction(async (tx) => {
    const run = await tx.trainingRun.findUnique({ where: { id: runId }, select: { status: true } });
    if (!run) throw new DomainError('not_found', 'There is no such training run.', 404);
    const outcome = await requestCancel(tx, 'TrainingRun', runId, LOST_AFTER_MS);
    if (!outcome) throw new DomainError('not_running', `This run has already ended (${run.status.toLowerCase()}).`, 409);
    await recordAudit(tx, { actorId, action: 'training.cancel', entityType: 'TrainingRun', entityId: runId, before: { status: run.status } });
  });
  // A worker in this very process acts at once; any other sees the mark on its next heartbeat.
  stopLocalRun(runId);
  return (await getTrainingRun(db, runId, root))!;
}

const runSelect = {
  id: true,
  kind: true,
  status: true,
  config: true,
  latest: true,
  summary: true,
  error: true,
  checkpointPath: true,
  cancelRequestedAt: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  initRun: { select: { id: true, kind: true, createdAt: true } },
  exportRun: { select: { id: true, kind: true, format: true, rows: true, createdAt: true, project: { select: { slug: true, name: true } } } },
  createdBy: { select: { name: true, email: true } },
} as const satisfies Prisma.TrainingRunSelect;

type RunRow = Prisma.TrainingRunGetPayload<{ select: typeof runSelect }>;

export interface ExportChoice {
  id: string;
  kind: 'SFT' | 'PREFERENCE';
  format: string;
  rows: number;
  createdAt: string;
  project: { slug: string; name: string };
}

/** A run as lists show it (dates as ISO strings); `metrics` and `files` only for one run. */
export interface TrainingRunSummaryView {
  id: string;
  method: TrainingMethod;
  status: RunStatus;
  config: Partial<TrainConfig>;
  export: ExportChoice | null;
  initRun: { id: string; method: TrainingMethod; createdAt: string } | null;
  latest: LatestFigures;
  summary: TrainingSummary | null;
  error: string | null;
  cancelRequested: boolean;
  createdBy: { name: string; email: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface TrainingRunView extends TrainingRunSummaryView {
  metrics: MetricPoint[];
  files: CheckpointFile[];
}

// The JSON columns are written by this module, but are read back through zod all the same.
const latestSchema = z.object({ progress: progressLine.nullable(), eval: evalLine.nullable() }).catch({ progress: null, eval: null });
const metricsSchema = z.array(z.union([progressLine, evalLine])).catch([]);
const summarySchema = resultLine.omit({ type: true, out: true }).nullable().catch(null);

function toSummaryView(run: RunRow): TrainingRunSummaryView {
  const config = trainConfigSchema.partial().safeParse(run.config);
  return {
    id: run.id,
    method: METHOD_OF[run.kind],
    status: run.status,
    // Stored configs are complete; `partial` only keeps an odd row from breaking the list.
    config: config.success ? config.data : {},
    export: run.exportRun ? { ...run.exportRun, createdAt: run.exportRun.createdAt.toISOString() } : null,
    initRun: run.initRun ? { id: run.initRun.id, method: METHOD_OF[run.initRun.kind], createdAt: run.initRun.createdAt.toISOString() } : null,
    latest: latestSchema.parse(run.latest ?? {}),
    summary: summarySchema.parse(run.summary ?? null),
    error: run.error,
    cancelRequested: run.cancelRequestedAt !== null,
    createdBy: run.createdBy,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** Training runs, newest first, without their curves. */
export async function listTrainingRuns(db: Queryable, options: { take?: number } = {}): Promise<TrainingRunSummaryView[]> {
  await settleLostRuns(db);
  const runs = await db.trainingRun.findMany({ select: runSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: options.take ?? 50 });
  return runs.map(toSummaryView);
}

/** One run with its curves and the checkpoint files on disk; null when there is no such run. */
export async function getTrainingRun(db: Queryable, id: string, root: string = trainingRoot()): Promise<TrainingRunView | null> {
  if (!isRunId(id)) return null;
  await settleLostRuns(db);
  const run = await db.trainingRun.findUnique({ where: { id }, select: { ...runSelect, metrics: true } });
  if (!run) return null;
  return {
    ...toSummaryView(run),
    metrics: metricsSchema.parse(run.metrics),
    files: await checkpointFiles(run, root),
  };
}

/** What the start form offers: finished exports whose files are here, and finished SFT runs to start from. */
export async function trainingChoices(db: Queryable, root: string = trainingRoot()) {
  const [exports, sftRuns] = await Promise.all([
    db.exportRun.findMany({
      where: { status: 'SUCCEEDED', path: { not: null } },
      select: { id: true, kind: true, format: true, rows: true, createdAt: true, path: true, project: { select: { slug: true, name: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 100,
    }),
    db.trainingRun.findMany({ where: { kind: 'SFT', status: 'SUCCEEDED' }, select: runSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 50 }),
  ]);
  const baseRuns = await Promise.all(sftRuns.map(async (run) => ({ run, files: await checkpointFiles(run, root) })));
  return {
    exports: exports
      .filter((run) => fs.existsSync(path.join(run.path!, 'train.jsonl')))
      .map(({ path: _path, ...run }): ExportChoice => ({ ...run, createdAt: run.createdAt.toISOString() })),
    baseRuns: baseRuns.filter(({ files }) => files.some((f) => f.name === 'model.safetensors')).map(({ run }) => toSummaryView(run)),
  };
}

/** A checkpoint file of a run for download, or null unless `name` is one of the files a checkpoint is made of. */
export async function findTrainingFile(db: Queryable, runId: string, name: string, root: string = trainingRoot()) {
  if (!isRunId(runId)) return null;
  const run = await db.trainingRun.findUnique({ where: { id: runId }, select: { id: true, kind: true, checkpointPath: true } });
  if (!run) return null;
  const file = await checkpointFile(run, name, root);
  return file ? { ...file, downloadName: `${METHOD_OF[run.kind]}-${run.id}-${name}` } : null;
}
