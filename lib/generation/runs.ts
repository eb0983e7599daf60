/**
 * "Generate candidates" for a project. A GenerationRun row is the job: the web server only
 * checks the request and queues the row; a worker (lib/jobs) plans the calls from the stored
 * request, carries them out, records progress and every failed item with its reason, and
 * settles the row; the admin page polls it. Each item's answers from one endpoint are written
 * in one transaction that re-counts under a row lock, so concurrent, repeated or resumed runs
 * never exceed the number asked for, and a run resumed after its worker died asks only for
 * what is still missing.
 */
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError } from '../errors.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { finishJob, heartbeat, releaseJob, requestCancel, type Claimed } from '../jobs/queue.ts';
import type { JobContext, JobKind } from '../jobs/worker.ts';
import { MAX_CANDIDATES } from '../queue/claim.ts';
import { DEFAULT_POLICY, type CallPolicy } from './client.ts';
import { endpointForCall } from './endpoints.ts';
import type { Lookup } from './endpoint-url.ts';
import { planTasks, runTasks, taskKey, type EndpointSpec, type GenerationItem, type GenerationTask, type ItemFailure } from './plan.ts';

export const generationInput = z
  .object({
    endpoints: z
      .array(
        z
          .object({
            endpointId: z.string().min(1),
            n: z.number().int().min(1).max(MAX_CANDIDATES).default(1),
            temperature: z.number().min(0).max(2).optional(),
            topP: z.number().gt(0).max(1).optional(),
            maxTokens: z.number().int().min(1).max(8192).optional(),
          })
          .strict(),
      )
      .min(1, 'choose at least one endpoint'),
    /** Only these items; otherwise the project's items, oldest first. */
    itemIds: z.array(z.string().min(1)).max(100_000).optional(),
    /** Only items no one has ranked yet: a fresh set for a new round. */
    unrankedOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(100_000).optional(),
    concurrency: z.number().int().min(1).max(32).default(4),
  })
  .strict();
export type GenerationInput = z.infer<typeof generationInput>;

export interface GenerationRunView {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  failures: ItemFailure[];
  /** A cancel was asked for and the worker has not stopped yet. */
  cancelRequested: boolean;
  /** Why the run as a whole could not go on. */
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

async function itemsFor(db: Queryable, projectId: string, input: GenerationInput): Promise<GenerationItem[]> {
  const rows = await db.item.findMany({
    where: {
      projectId,
      ...(input.itemIds && { id: { in: input.itemIds } }),
      ...(input.unrankedOnly && { rankings: { none: {} } }),
    },
    select: { id: true, system: true, messages: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    ...(input.limit && { take: input.limit }),
  });
  if (input.itemIds && rows.length !== new Set(input.itemIds).size) throw new DomainError('invalid_input', 'itemIds: some items are not in this project', 400, 'itemIds');
  return rows.map((row) => ({
    id: row.id,
    messages: [...(row.system ? [{ role: 'system' as const, content: row.system }] : []), ...(row.messages as { role: 'user' | 'assistant'; content: string }[])],
  }));
}

/** Candidates already stored per (item, endpoint), for filling only the gaps. */
async function existingCounts(db: Queryable, itemIds: string[], endpointIds: string[]): Promise<Map<string, number>> {
  if (itemIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ itemId: string; endpointId: string; n: bigint }[]>`
    SELECT "itemId", params->>'endpointId' AS "endpointId", count(*) AS n FROM "Candidate"
    WHERE "itemId" = ANY(${itemIds}) AND params->>'endpointId' = ANY(${endpointIds})
    GROUP BY 1, 2`;
  return new Map(rows.map((r) => [taskKey(r.itemId, r.endpointId), Number(r.n)]));
}

export interface GenerationOptions {
  policy?: CallPolicy;
  lookup?: Lookup;
  secret?: string;
}

interface Plan {
  /** The items chosen, in order. */
  itemIds: string[];
  tasks: GenerationTask[];
  /** Endpoint models that are Feedloop's own training runs. */
  bundled: Set<string>;
}

/** Resolves the endpoints (URLs re-checked, keys decrypted) and the items, and plans what is still missing. */
async function planRun(db: Queryable, projectId: string, input: GenerationInput, options: GenerationOptions): Promise<Plan> {
  const specs: EndpointSpec[] = [];
  for (const choice of input.endpoints) {
    const resolved = await endpointForCall(db, choice.endpointId, options);
    specs.push({
      id: resolved.id,
      name: resolved.name,
      endpoint: resolved.endpoint,
      n: choice.n,
      sampling: {
        temperature: choice.temperature ?? resolved.defaults.temperature,
        topP: choice.topP ?? resolved.defaults.topP,
        maxTokens: choice.maxTokens ?? resolved.defaults.maxTokens,
      },
    });
  }
  const items = await itemsFor(db, projectId, input);
  const itemIds = items.map((i) => i.id);
  const totals = new Map(
    (await db.candidate.groupBy({ by: ['itemId'], where: { itemId: { in: itemIds } }, _count: { _all: true } })).map((g) => [g.itemId, g._count._all]),
  );
  const tasks = planTasks(items, specs, await existingCounts(db, itemIds, specs.map((s) => s.id)), totals, MAX_CANDIDATES);
  // The bundled model's candidates are told apart, for round-over-round comparisons.
  const bundled = new Set((await db.trainingRun.findMany({ where: { id: { in: specs.map((s) => s.endpoint.model) } }, select: { id: true } })).map((r) => r.id));
  return { itemIds, tasks, bundled };
}

/**
 * Checks the request (endpoints usable, items in the project) and queues the run; a worker
 * takes it up. Answers at once: the total is what is missing now, and the worker plans again
 * when it starts.
 */
export async function enqueueGenerationRun(db: Db, actorId: string, projectId: string, input: GenerationInput, options: GenerationOptions = {}): Promise<GenerationRunView> {
  const { itemIds, tasks } = await planRun(db, projectId, input, options);
  // The items are chosen once, now: "unranked" and "at most N" are read again by no worker, so a
  // run resumed after items got ranked (or new ones came) still serves exactly these items.
  const stored: GenerationInput = { ...input, itemIds };
  const row = await db.$transaction(async (tx) => {
    const created = await tx.generationRun.create({ data: { projectId, request: stored, status: 'QUEUED', total: tasks.length, createdById: actorId } });
    await recordAudit(tx, { actorId, action: 'generation.start', entityType: 'GenerationRun', entityId: created.id, after: { projectId, ...input, tasks: tasks.length } });
    return created;
  });
  return toView(row);
}

async function saveAnswers(db: Db, plan: Plan, task: GenerationTask, answers: { content: string; seed: number }[]): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Item" WHERE id = ${task.item.id} FOR UPDATE`;
    const have = await tx.candidate.count({ where: { itemId: task.item.id, params: { path: ['endpointId'], equals: task.spec.id } } });
    const total = await tx.candidate.count({ where: { itemId: task.item.id } });
    const room = Math.min(task.spec.n - have, MAX_CANDIDATES - total);
    if (room <= 0 && task.spec.n - have > 0) throw new Error(`the item already has ${MAX_CANDIDATES} candidates`);
    await tx.candidate.createMany({
      data: answers.slice(0, Math.max(0, room)).map((answer) => ({
        itemId: task.item.id,
        content: answer.content,
        model: task.spec.endpoint.model,
        origin: plan.bundled.has(task.spec.endpoint.model) ? ('BUNDLED' as const) : ('ENDPOINT' as const),
        params: {
          endpointId: task.spec.id,
          endpoint: task.spec.name,
          temperature: task.spec.sampling.temperature ?? null,
          top_p: task.spec.sampling.topP ?? null,
          max_tokens: task.spec.sampling.maxTokens ?? null,
          seed: answer.seed,
        },
      })),
    });
  });
}

/** Ends the run under this worker's lease, with its counts and failures. */
async function settle(db: Db, job: Claimed, status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', counts: Prisma.Sql, failures: ItemFailure[]): Promise<void> {
  await finishJob(db, 'GenerationRun', job, status, Prisma.sql`${counts}, failures = ${JSON.stringify(failures)}::jsonb`);
}

/**
 * Carries out a claimed run. Every heartbeat writes progress and reads `cancelRequestedAt`: a
 * cancel aborts the calls in flight and stores nothing more. When the worker stops, the calls
 * in flight finish and are stored, then the row goes back to the queue for the next worker.
 */
export async function executeGenerationRun(context: JobContext, options: GenerationOptions = {}): Promise<void> {
  const { db, job, log } = context;
  const row = await db.generationRun.findUniqueOrThrow({ where: { id: job.id } });
  const parsed = generationInput.safeParse(row.request);
  if (!parsed.success) throw new Error('The stored request is not a valid generation request.');
  // Runs queued with their items chosen serve exactly those (see enqueueGenerationRun).
  const request = parsed.data.itemIds ? { ...parsed.data, unrankedOnly: false, limit: undefined } : parsed.data;
  const plan = await planRun(db, row.projectId, request, options);
  // Pairs planned before (at the queueing, or by a worker that died) and no longer missing are done.
  const total = Math.max(row.total, plan.tasks.length);
  const already = total - plan.tasks.length;
  let progress = { done: 0, failed: 0 };
  const counts = () => Prisma.sql`total = ${total}, done = ${already + progress.done}, failed = ${progress.failed}`;

  const cancel = new AbortController();
  const drain = new AbortController();
  let lost = false;
  let cancelRequested = false;
  const onStopping = () => drain.abort();
  const onAbort = () => cancel.abort();
  context.stopping.addEventListener('abort', onStopping);
  context.abort.addEventListener('abort', onAbort);
  if (context.stopping.aborted) onStopping();
  if (context.abort.aborted) onAbort();

  let timer: ReturnType<typeof setTimeout> | undefined;
  let beating = true;
  const beat = async () => {
    try {
      const state = await heartbeat(db, 'GenerationRun', job, counts());
      // Presumed dead and replaced: the successor owns the row now.
      if (!state.held) lost = true;
      if (state.cancelRequested) cancelRequested = true;
      if (!state.held || state.cancelRequested) cancel.abort();
    } catch (error) {
      log(`generation ${job.id}: heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (beating && !cancel.signal.aborted) timer = setTimeout(() => void beat(), context.heartbeatMs);
  };
  await beat();

  let result = { done: 0, failures: [] as ItemFailure[] };
  try {
    if (!cancel.signal.aborted) {
      result = await runTasks(plan.tasks, {
        signal: cancel.signal,
        drain: drain.signal,
        concurrency: parsed.data.concurrency,
        // The calls connect through the same lookup the endpoints were checked with.
        policy: { ...(options.policy ?? DEFAULT_POLICY), ...(options.lookup && { lookup: options.lookup }) },
        save: (task, answers) => saveAnswers(db, plan, task, answers),
        onProgress: ({ done, failed }) => (progress = { done, failed }),
      });
    }
  } finally {
    beating = false;
    clearTimeout(timer);
    context.stopping.removeEventListener('abort', onStopping);
    context.abort.removeEventListener('abort', onAbort);
  }
  if (lost) return log(`generation ${job.id}: another worker took the run over`);
  progress = { done: result.done, failed: result.failures.length };
  if (result.done + result.failures.length < plan.tasks.length && !cancelRequested) {
    // Stopped by the worker's shutdown, between calls: the next worker re-plans and asks only for what is missing.
    await releaseJob(db, 'GenerationRun', job, counts());
    return;
  }
  const status = cancelRequested ? 'CANCELLED' : total > 0 && already + result.done === 0 ? 'FAILED' : 'SUCCEEDED';
  await settle(db, job, status, counts(), result.failures);
  // The page lists every failure; the worker's log says why at a glance, for whoever runs it.
  const first = result.failures[0];
  log(`generation ${job.id} ended: ${already + result.done} of ${total} answered, ${result.failures.length} failed${first ? ` (first: ${first.endpoint}: ${first.reason})` : ''}`);
}

/** The worker's job kind for generation runs. */
export function generationJob(options: GenerationOptions = {}): JobKind {
  return { name: 'generation', table: 'GenerationRun', run: (context) => executeGenerationRun(context, options) };
}

type RunRow = {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  failures: unknown;
  cancelRequestedAt: Date | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

function toView(row: RunRow): GenerationRunView {
  return {
    id: row.id,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    failures: Array.isArray(row.failures) ? (row.failures as ItemFailure[]) : [],
    cancelRequested: row.cancelRequestedAt !== null && (row.status === 'QUEUED' || row.status === 'RUNNING'),
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Stops a run, from any server: a queued run (or one whose worker is gone) ends at once; a
 * running one is told through its row, and its worker aborts the calls in flight on its next
 * heartbeat. Answers already stored stay.
 */
export async function cancelGenerationRun(db: Db, actorId: string, projectId: string, id: string): Promise<GenerationRunView> {
  return db.$transaction(async (tx) => {
    const row = await tx.generationRun.findFirst({ where: { id, projectId } });
    if (!row) throw new DomainError('not_found', 'No such generation run in this project.', 404);
    const outcome = await requestCancel(tx, 'GenerationRun', id);
    if (!outcome) throw new DomainError('not_running', `This run has already ended (${row.status.toLowerCase()}).`, 409);
    await recordAudit(tx, { actorId, action: 'generation.cancel', entityType: 'GenerationRun', entityId: id, before: { status: row.status, done: row.done, failed: row.failed } });
    return toView(await tx.generationRun.findUniqueOrThrow({ where: { id } }));
  });
}

export async function getGenerationRun(db: Queryable, projectId: string, id: string): Promise<GenerationRunView> {
  const row = await db.generationRun.findFirst({ where: { id, projectId } });
  if (!row) throw new DomainError('not_found', 'No such generation run in this project.', 404);
  return toView(row);
}

export async function listGenerationRuns(db: Queryable, projectId: string, take = 20): Promise<GenerationRunView[]> {
  return (await db.generationRun.findMany({ where: { projectId }, orderBy: { createdAt: 'desc' }, take })).map(toView);
}
