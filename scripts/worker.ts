/**
 * The worker process (`npm start` runs one beside the web server; `npm run worker` runs one
 * more, on any machine that reaches the database and the training and export folders): it
 * carries out queued jobs, candidate generation, training runs and reward scoring, several at once. SIGTERM or
 * Ctrl-C stops it gracefully: no new job is taken, running jobs reach a safe point (calls in
 * flight stored, a checkpoint saved) and hand their rows back, and the next worker resumes
 * them. A worker killed outright loses nothing either: its trainers save a checkpoint and stop,
 * and its jobs are taken up again once their heartbeat is stale.
 *
 *   DATABASE_URL, AUTH_SECRET (to read endpoint API keys) as for the web server
 *   FEEDLOOP_WORKER_JOBS        jobs at once (default 4), of which training runs: FEEDLOOP_TRAINING_CONCURRENCY (default 1)
 *   FEEDLOOP_WORKER_POLL_MS     how often to look for work (default 1000)
 *   FEEDLOOP_JOB_HEARTBEAT_MS   how often a running job proves it is alive (default 5000)
 *   FEEDLOOP_JOB_STALE_MS       a running job without a heartbeat this long is taken up again (default 60000)
 */
import { createDb } from '../lib/db.ts';
import { generationJob } from '../lib/generation/runs.ts';
import { HEARTBEAT_MS, STALE_MS } from '../lib/jobs/queue.ts';
import { startWorker } from '../lib/jobs/worker.ts';
import { rewardScoringJob } from '../lib/review/reward-scoring.ts';
import { trainingJob } from '../lib/training/runs.ts';

const log = (line: string) => console.log(`[worker] ${line}`);

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return value;
}

function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const heartbeatMs = setting('FEEDLOOP_JOB_HEARTBEAT_MS', HEARTBEAT_MS);
  const staleMs = setting('FEEDLOOP_JOB_STALE_MS', STALE_MS);
  if (staleMs < heartbeatMs * 3) throw new Error('FEEDLOOP_JOB_STALE_MS must be at least three heartbeats, or live jobs would be taken over');
  const db = createDb(url);
  const worker = startWorker({
    db,
    kinds: [generationJob(), trainingJob(), rewardScoringJob()],
    maxJobs: setting('FEEDLOOP_WORKER_JOBS', 4),
    pollMs: setting('FEEDLOOP_WORKER_POLL_MS', 1000),
    heartbeatMs,
    staleMs,
    log,
  });
  log(`started (pid ${process.pid})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: taking no new jobs; ${worker.running} running hand over at a safe point`);
    void worker
      .stop()
      .then(() => db.$disconnect())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

try {
  main();
} catch (error) {
  console.error(`[worker] could not start: ${(error as Error).message}`);
  process.exit(1);
}
