/**
 * The worker loop: claims jobs of the kinds it knows (several at once), runs each, and polls
 * for more. Stopping (SIGTERM) stops the claiming and tells the running jobs to reach a safe
 * point; a job that has not after the grace period is told to abort. Either way a job hands its
 * row back or leaves it RUNNING, and another worker resumes it: nothing is lost with a worker.
 */
import type { Db } from '../db.ts';
import { claimJob, failJob, HEARTBEAT_MS, STALE_MS, type Claimed, type JobTable } from './queue.ts';

export interface JobContext {
  db: Db;
  job: Claimed;
  heartbeatMs: number;
  /** After this long without a heartbeat another worker may take the job over (default STALE_MS). */
  staleMs?: number;
  /** The worker is stopping: start no new work, hand the row back at the next safe point. */
  stopping: AbortSignal;
  /** The grace period is over: abandon the work in flight too. */
  abort: AbortSignal;
  log: (line: string) => void;
}

export interface JobKind {
  name: string;
  table: JobTable;
  /** At most this many of the kind at once in this worker (training keeps every core busy). */
  limit?: number;
  run(context: JobContext): Promise<void>;
}

export interface WorkerOptions {
  db: Db;
  kinds: JobKind[];
  /** Jobs carried out at once. */
  maxJobs?: number;
  pollMs?: number;
  staleMs?: number;
  heartbeatMs?: number;
  graceMs?: number;
  /** A job started this many times without ending (its workers kept dying) is failed, not started again. */
  maxAttempts?: number;
  log?: (line: string) => void;
}

export interface Worker {
  /** Looks for work now rather than at the next poll. */
  poll(): void;
  /** Resolves once every job this worker runs has ended or handed its row back. */
  stop(): Promise<void>;
  /** The number of jobs running now. */
  readonly running: number;
}

export function startWorker(options: WorkerOptions): Worker {
  const { db, kinds, maxJobs = 4, pollMs = 1000, staleMs = STALE_MS, heartbeatMs = HEARTBEAT_MS, graceMs = 10_000, maxAttempts = 5 } = options;
  const log = options.log ?? ((line: string) => console.log(`[worker] ${line}`));
  const stopping = new AbortController();
  const abort = new AbortController();
  const active = new Set<Promise<void>>();
  const perKind = new Map<string, number>();
  let wake: (() => void) | null = null;
  const poll = () => wake?.();

  const run = async (kind: JobKind, job: Claimed) => {
    if (job.attempts > maxAttempts) {
      // If even this write fails, the row stays RUNNING and comes back once stale.
      await failJob(db, kind.table, job, `The run was started ${job.attempts - 1} times and its worker stopped each time; it is not started again.`).catch(() => {});
      return;
    }
    if (job.attempts > 1) log(`resuming ${kind.name} ${job.id} (start ${job.attempts})`);
    try {
      await kind.run({ db, job, heartbeatMs, staleMs, stopping: stopping.signal, abort: abort.signal, log });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${kind.name} ${job.id} failed: ${message}`);
      // If even this write fails (the database is away), the row stays RUNNING and is resumed once stale.
      await failJob(db, kind.table, job, message).catch(() => {});
    }
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        for (const kind of kinds) {
          while (active.size < maxJobs && !stopping.signal.aborted) {
            if ((perKind.get(kind.name) ?? 0) >= (kind.limit ?? Infinity)) break;
            const job = await claimJob(db, kind.table, staleMs);
            if (!job) break;
            perKind.set(kind.name, (perKind.get(kind.name) ?? 0) + 1);
            const done = run(kind, job)
              .catch((error: unknown) => log(`${kind.name} ${job.id}: ${error instanceof Error ? error.message : String(error)}`))
              .finally(() => {
                active.delete(done);
                perKind.set(kind.name, perKind.get(kind.name)! - 1);
                poll();
              });
            active.add(done);
          }
        }
      } catch (error) {
        log(`could not look for jobs: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (stopping.signal.aborted) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    poll,
    get running() {
      return active.size;
    },
    async stop() {
      stopping.abort();
      poll();
      const timer = setTimeout(() => abort.abort(), graceMs);
      await loop;
      await Promise.allSettled([...active]);
      clearTimeout(timer);
    },
  };
}
