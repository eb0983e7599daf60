/**
 * "Generate candidates" for a project: a GenerationRun row records what was asked, progress
 * and every failed item with its reason; the calls run in the background of the server
 * process (they wait on the network, not the CPU) and the admin page polls the row. Each
 * item's answers from one endpoint are written in one transaction that re-counts under a row
 * lock, so concurrent or repeated runs never exceed the number asked for.
 */
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError } from '../errors.ts';
import { MAX_CANDIDATES } from '../queue/claim.ts';
import { DEFAULT_POLICY, type CallPolicy } from './client.ts';
import { endpointForCall } from './endpoints.ts';
import type { Lookup } from './endpoint-url.ts';
import { planTasks, runTasks, taskKey, type EndpointSpec, type GenerationItem, type ItemFailure } from './plan.ts';

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
    itemIds: z.array(z.string().min(1)).max(10_000).optional(),
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
  createdAt: string;
  finishedAt: string | null;
}

const PROGRESS_EVERY_MS = 1000;

// Runs this server process is carrying out, so that a cancel can stop them between calls.
const running = ((globalThis as typeof globalThis & { generationRuns?: Map<string, AbortController> }).generationRuns ??= new Map());

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

export async function startGenerationRun(
  db: Db,
  actorId: string,
  projectId: string,
  input: GenerationInput,
  options: { policy?: CallPolicy; lookup?: Lookup; secret?: string } = {},
): Promise<{ run: GenerationRunView; finished: Promise<GenerationRunView> }> {
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

  const row = await db.$transaction(async (tx) => {
    const created = await tx.generationRun.create({
      data: { projectId, request: input, status: 'RUNNING', total: tasks.length, createdById: actorId, startedAt: new Date() },
    });
    await recordAudit(tx, { actorId, action: 'generation.start', entityType: 'GenerationRun', entityId: created.id, after: { projectId, ...input, tasks: tasks.length } });
    return created;
  });

  let lastWrite = 0;
  const controller = new AbortController();
  running.set(row.id, controller);
  const finished = runTasks(tasks, {
    signal: controller.signal,
    concurrency: input.concurrency,
    policy: options.policy ?? DEFAULT_POLICY,
    save: async (task, answers) => {
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
            origin: bundled.has(task.spec.endpoint.model) ? ('BUNDLED' as const) : ('ENDPOINT' as const),
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
    },
    onProgress: ({ done, failed }) => {
      const now = Date.now();
      if (now - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = now;
      void db.generationRun.update({ where: { id: row.id }, data: { done, failed } }).catch(() => {});
    },
  }).then(async ({ done, failures, cancelled }) => {
    running.delete(row.id);
    const status = cancelled ? 'CANCELLED' : tasks.length > 0 && done === 0 ? 'FAILED' : 'SUCCEEDED';
    // Only a run still RUNNING is settled here: a cancel recorded meanwhile (by any server) stands.
    await db.generationRun.updateMany({
      where: { id: row.id, status: 'RUNNING' },
      data: { status, done, failed: failures.length, failures: failures as unknown as object[], finishedAt: new Date() },
    });
    return toView(await db.generationRun.findUniqueOrThrow({ where: { id: row.id } }));
  });
  return { run: toView(row), finished };
}

type RunRow = { id: string; status: string; total: number; done: number; failed: number; failures: unknown; createdAt: Date; finishedAt: Date | null };

function toView(row: RunRow): GenerationRunView {
  return {
    id: row.id,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    failures: Array.isArray(row.failures) ? (row.failures as ItemFailure[]) : [],
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Stops a run: calls in flight finish (and their answers are kept), no new ones start. A run
 * no server is carrying out any more (its server stopped) is closed at once.
 */
export async function cancelGenerationRun(db: Db, actorId: string, projectId: string, id: string): Promise<GenerationRunView> {
  const row = await db.generationRun.findFirst({ where: { id, projectId } });
  if (!row) throw new DomainError('not_found', 'No such generation run in this project.', 404);
  if (row.status !== 'RUNNING' && row.status !== 'QUEUED') throw new DomainError('not_running', `This run has already ended (${row.status.toLowerCase()}).`, 409);
  await recordAudit(db, { actorId, action: 'generation.cancel', entityType: 'GenerationRun', entityId: id, before: { status: row.status, done: row.done, failed: row.failed } });
  const controller = running.get(id);
  if (controller) {
    controller.abort();
    return toView(row);
  }
  return toView(await db.generationRun.update({ where: { id }, data: { status: 'CANCELLED', finishedAt: new Date() } }));
}

export async function getGenerationRun(db: Queryable, projectId: string, id: string): Promise<GenerationRunView> {
  const row = await db.generationRun.findFirst({ where: { id, projectId } });
  if (!row) throw new DomainError('not_found', 'No such generation run in this project.', 404);
  return toView(row);
}

export async function listGenerationRuns(db: Queryable, projectId: string, take = 20): Promise<GenerationRunView[]> {
  return (await db.generationRun.findMany({ where: { projectId }, orderBy: { createdAt: 'desc' }, take })).map(toView);
}
