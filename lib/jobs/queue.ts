/**
 * A job queue on the run rows themselves: a run table is a job table when it has `status`
 * (RunStatus), `createdAt`, `startedAt`, `finishedAt`, `leaseId`, `heartbeatAt`, `attempts`,
 * `cancelRequestedAt` and `error`. A worker claims a row under a fresh lease with
 * `FOR UPDATE SKIP LOCKED` (so two workers never take the same row), heartbeats while it works,
 * and every later write is guarded by the lease: a worker that was presumed dead and replaced
 * finds its lease gone and stops instead of writing over its successor.
 */
import crypto from 'node:crypto';
import { Prisma } from '../generated/prisma/client.ts';
import type { Queryable } from '../db.ts';

/** The tables that hold jobs. Names go into SQL, so only these. */
export type JobTable = 'GenerationRun' | 'TrainingRun' | 'RewardScoringRun';

/**
 * A RUNNING row whose heartbeat is older than this lost its worker (the process died or the
 * machine went away): another worker takes it up. Well above the heartbeat interval, so a
 * slow database round trip never makes two workers run one job.
 */
export const STALE_MS = fromEnv('FEEDLOOP_JOB_STALE_MS') ?? 60_000;
export const HEARTBEAT_MS = fromEnv('FEEDLOOP_JOB_HEARTBEAT_MS') ?? 5_000;

/** A setting the web server and the worker must agree on (a cancel decides "stale" too); the worker checks it strictly. */
function fromEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

export interface Claimed {
  id: string;
  leaseId: string;
  /** 1 on the first start; more when the job is resumed after its worker died. */
  attempts: number;
}

const table = (name: JobTable) => Prisma.raw(`"${name}"`);
// Rows from before heartbeats existed have none: their start (or creation) stands in for it.
const lastSign = Prisma.sql`coalesce("heartbeatAt", "startedAt", "createdAt")`;
const staleBefore = (staleMs: number) => Prisma.sql`now() - make_interval(secs => ${staleMs / 1000})`;

/** Takes the oldest queued job, or a running one whose worker stopped heartbeating; null when there is none. */
export async function claimJob(db: Queryable, name: JobTable, staleMs = STALE_MS): Promise<Claimed | null> {
  const leaseId = crypto.randomUUID();
  const rows = await db.$queryRaw<{ id: string; attempts: number }[]>`
    UPDATE ${table(name)} SET status = 'RUNNING', "leaseId" = ${leaseId}, "heartbeatAt" = now(),
      "startedAt" = coalesce("startedAt", now()), attempts = attempts + 1
    WHERE id = (
      SELECT id FROM ${table(name)}
      WHERE status = 'QUEUED' OR (status = 'RUNNING' AND ${lastSign} < ${staleBefore(staleMs)})
      ORDER BY "createdAt", id
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, attempts`;
  const row = rows[0];
  return row ? { id: row.id, leaseId, attempts: row.attempts } : null;
}

/**
 * Proves the job's worker is alive and writes `set` (progress) with it. Returns whether the
 * lease is still held and whether a cancel was recorded meanwhile (by any server).
 */
export async function heartbeat(db: Queryable, name: JobTable, job: Claimed, set?: Prisma.Sql): Promise<{ held: boolean; cancelRequested: boolean }> {
  const rows = await db.$queryRaw<{ cancelRequestedAt: Date | null }[]>`
    UPDATE ${table(name)} SET "heartbeatAt" = now()${set ? Prisma.sql`, ${set}` : Prisma.empty}
    WHERE id = ${job.id} AND "leaseId" = ${job.leaseId} AND status = 'RUNNING'
    RETURNING "cancelRequestedAt"`;
  return { held: rows.length > 0, cancelRequested: rows[0]?.cancelRequestedAt != null };
}

/**
 * Hands a job back to the queue (its worker is shutting down at a safe point), so that the next
 * worker takes it up at once rather than after the stale limit. A hand-over is not a failed start.
 */
export async function releaseJob(db: Queryable, name: JobTable, job: Claimed, set?: Prisma.Sql): Promise<boolean> {
  // A cancel that came after the last heartbeat is honoured here rather than left on a queued row.
  const count = await db.$executeRaw`
    UPDATE ${table(name)} SET
      status = (CASE WHEN "cancelRequestedAt" IS NULL THEN 'QUEUED' ELSE 'CANCELLED' END)::"RunStatus",
      "finishedAt" = CASE WHEN "cancelRequestedAt" IS NULL THEN NULL ELSE now() END,
      "leaseId" = NULL, "heartbeatAt" = NULL, attempts = greatest(attempts - 1, 0)${set ? Prisma.sql`, ${set}` : Prisma.empty}
    WHERE id = ${job.id} AND "leaseId" = ${job.leaseId} AND status = 'RUNNING'`;
  return count > 0;
}

/** Ends a job under this worker's lease, writing `set` with it; a cancel recorded meanwhile (by any server) stands. */
export async function finishJob(db: Queryable, name: JobTable, job: Claimed, status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', set?: Prisma.Sql): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE ${table(name)} SET
      status = (CASE WHEN "cancelRequestedAt" IS NULL THEN ${status} ELSE 'CANCELLED' END)::"RunStatus",
      "finishedAt" = now(), "leaseId" = NULL, "heartbeatAt" = NULL${set ? Prisma.sql`, ${set}` : Prisma.empty}
    WHERE id = ${job.id} AND "leaseId" = ${job.leaseId} AND status = 'RUNNING'`;
  return count > 0;
}

/** Ends a job the worker could not carry out, with the reason; a recorded cancel wins over the failure. */
export async function failJob(db: Queryable, name: JobTable, job: Claimed, error: string): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE ${table(name)} SET
      status = (CASE WHEN "cancelRequestedAt" IS NULL THEN 'FAILED' ELSE 'CANCELLED' END)::"RunStatus",
      error = ${error}, "finishedAt" = now(), "leaseId" = NULL, "heartbeatAt" = NULL
    WHERE id = ${job.id} AND "leaseId" = ${job.leaseId} AND status = 'RUNNING'`;
  return count > 0;
}

/**
 * Cancels a job from any server. A queued job, or one whose worker is gone, ends at once; a
 * job a live worker holds gets `cancelRequestedAt`, which that worker sees on its next
 * heartbeat. Returns null when the job is not QUEUED or RUNNING.
 */
export async function requestCancel(db: Queryable, name: JobTable, id: string, staleMs = STALE_MS): Promise<'cancelled' | 'requested' | null> {
  const rows = await db.$queryRaw<{ status: string }[]>`
    UPDATE ${table(name)} SET
      "cancelRequestedAt" = coalesce("cancelRequestedAt", now()),
      status = (CASE WHEN status = 'QUEUED' OR ${lastSign} < ${staleBefore(staleMs)} THEN 'CANCELLED' ELSE status::text END)::"RunStatus",
      "finishedAt" = CASE WHEN status = 'QUEUED' OR ${lastSign} < ${staleBefore(staleMs)} THEN now() ELSE "finishedAt" END
    WHERE id = ${id} AND status IN ('QUEUED', 'RUNNING')
    RETURNING status::text AS status`;
  const row = rows[0];
  return row ? (row.status === 'CANCELLED' ? 'cancelled' : 'requested') : null;
}
