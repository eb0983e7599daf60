/**
 * Scoring a project's ranked candidates with a reward model, as a background job: a big project
 * takes minutes (one forward pass per candidate), longer than anyone should wait on a request.
 * Rewards are stored per (reward model, candidate), so a candidate is scored once, scoring picks
 * up where a stopped worker left it, and reward-model QA reads the rewards as often as it likes.
 */
import { Prisma } from '../generated/prisma/client.ts';
import type { Db, Queryable } from '../db.ts';
import { finishJob, heartbeat, releaseJob, requestCancel } from '../jobs/queue.ts';
import type { JobContext, JobKind } from '../jobs/worker.ts';
import { inference as defaultInference, InferenceCancelled, slices, type Inference, type ScoringItem } from '../serving/inference.ts';
import { isCheckpoint } from '../training/checkpoint-folder.ts';
import { DomainError } from '../errors.ts';
import type { RankedItem } from './disagreements.ts';
import { rankedItems } from './ranked-items.ts';

/** Candidates scored between two writes of progress (and checks for a cancel or a shutdown). */
const BATCH_CANDIDATES = 64;

export interface ScoringView {
  id: string;
  status: string;
  total: number;
  done: number;
  error: string | null;
  cancelRequested: boolean;
  createdAt: string;
  finishedAt: string | null;
}

const viewSelect = { id: true, status: true, total: true, done: true, error: true, cancelRequestedAt: true, createdAt: true, finishedAt: true } as const;

function toView(row: { id: string; status: string; total: number; done: number; error: string | null; cancelRequestedAt: Date | null; createdAt: Date; finishedAt: Date | null }): ScoringView {
  return {
    id: row.id,
    status: row.status,
    total: row.total,
    done: row.done,
    error: row.error,
    cancelRequested: row.cancelRequestedAt !== null && (row.status === 'QUEUED' || row.status === 'RUNNING'),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The rewards stored for a reward model, for the candidates of these items. */
export async function storedRewards(db: Queryable, trainingRunId: string, items: RankedItem[]): Promise<Map<string, number>> {
  const ids = items.flatMap((item) => [...item.candidates.keys()]);
  if (ids.length === 0) return new Map();
  const rows = await db.candidateReward.findMany({ where: { trainingRunId, candidateId: { in: ids } }, select: { candidateId: true, reward: true } });
  return new Map(rows.map((r) => [r.candidateId, r.reward]));
}

/** The newest scoring of a project's candidates by this reward model, if any. */
export async function latestScoring(db: Queryable, projectId: string, trainingRunId: string): Promise<ScoringView | null> {
  const row = await db.rewardScoringRun.findFirst({ where: { projectId, trainingRunId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: viewSelect });
  return row ? toView(row) : null;
}

/**
 * Queues a scoring of the project's ranked candidates by a reward model (already checked to be
 * one of the project's); one already queued or running is returned instead of a second.
 */
export async function queueScoring(db: Db, actorId: string, projectId: string, trainingRunId: string): Promise<ScoringView> {
  return db.$transaction(async (tx) => {
    // Two reviewers pressing at once get the same scoring.
    await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
    const active = await tx.rewardScoringRun.findFirst({ where: { projectId, trainingRunId, status: { in: ['QUEUED', 'RUNNING'] } }, select: viewSelect });
    if (active) return toView(active);
    return toView(await tx.rewardScoringRun.create({ data: { projectId, trainingRunId, createdById: actorId }, select: viewSelect }));
  });
}

/**
 * Stops a scoring of the project, from any server: a queued one ends at once, a running one after
 * the batch in hand. Rewards already stored stay, and the next scoring starts from them.
 */
export async function cancelScoring(db: Db, projectId: string, id: string): Promise<ScoringView> {
  const row = await db.rewardScoringRun.findFirst({ where: { id, projectId }, select: { id: true } });
  if (!row) throw new DomainError('not_found', 'There is no such scoring in this project.', 404);
  if (!(await requestCancel(db, 'RewardScoringRun', id))) throw new DomainError('not_running', 'This scoring has already ended.', 409);
  return toView(await db.rewardScoringRun.findUniqueOrThrow({ where: { id }, select: viewSelect }));
}

/**
 * Carries out a claimed scoring: the candidates without a stored reward are scored in the
 * inference worker thread, a batch at a time, each batch stored before the next; between batches
 * it writes progress, and stops on a cancel (from any server) or hands the row back when the
 * worker shuts down. A resumed scoring starts with what is still unscored.
 */
export async function executeRewardScoring(context: JobContext, options: { inference?: Inference } = {}): Promise<void> {
  const { db, job, log } = context;
  const row = await db.rewardScoringRun.findUniqueOrThrow({ where: { id: job.id }, select: { projectId: true, trainingRun: { select: { id: true, kind: true, checkpointPath: true } } } });
  const model = row.trainingRun;
  if (model.kind !== 'REWARD' || !model.checkpointPath || !isCheckpoint(model.checkpointPath)) {
    throw new Error(`the reward model's checkpoint (run ${model.id}) is not on this server`);
  }
  const items = await rankedItems(db, row.projectId);
  const stored = await storedRewards(db, model.id, items);
  const todo: ScoringItem[] = items
    .map((item) => ({ prompt: item.prompt, candidates: new Map([...item.candidates].filter(([id]) => !stored.has(id))) }))
    .filter((item) => item.candidates.size > 0);
  const total = stored.size + todo.reduce((n, item) => n + item.candidates.size, 0);
  let done = stored.size;
  const progress = () => Prisma.sql`total = ${total}, done = ${done}`;

  for (const batch of slices(todo, BATCH_CANDIDATES)) {
    const state = await heartbeat(db, 'RewardScoringRun', job, progress());
    if (!state.held) return log(`reward scoring ${job.id}: another worker took it over`);
    if (state.cancelRequested) break;
    if (context.stopping.aborted) {
      await releaseJob(db, 'RewardScoringRun', job, progress());
      return;
    }
    let rewards: Map<string, number>;
    try {
      rewards = await (options.inference ?? defaultInference()).rewards(model.checkpointPath, batch, context.abort);
    } catch (error) {
      // The worker's grace period ran out mid-batch: the row stays as it is and the next worker resumes it.
      if (error instanceof InferenceCancelled && context.abort.aborted) return;
      throw error;
    }
    await db.candidateReward.createMany({ data: [...rewards].map(([candidateId, reward]) => ({ trainingRunId: model.id, candidateId, reward })), skipDuplicates: true });
    done += rewards.size;
  }
  await finishJob(db, 'RewardScoringRun', job, 'SUCCEEDED', progress());
  log(`reward scoring ${job.id} ended: ${done} of ${total} candidates scored`);
}

/** The worker's job kind for reward scoring: one at a time, as they share the inference thread. */
export function rewardScoringJob(options: { inference?: Inference } = {}): JobKind {
  return { name: 'reward scoring', table: 'RewardScoringRun', limit: 1, run: (context) => executeRewardScoring(context, options) };
}
