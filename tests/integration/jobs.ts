import type { Db } from '../../lib/db.ts';
import { generationJob, getGenerationRun, type GenerationOptions, type GenerationRunView } from '../../lib/generation/runs.ts';
import { startWorker, type Worker, type WorkerOptions } from '../../lib/jobs/worker.ts';

/** A worker for tests: polls and heartbeats often, so that a test does not wait on the production intervals. */
export function testWorker(db: Db, options: GenerationOptions, more: Partial<WorkerOptions> = {}): Worker {
  return startWorker({ db, kinds: [generationJob(options)], pollMs: 20, heartbeatMs: 50, log: () => {}, ...more });
}

/** Waits (bounded by the test's timeout) until the run has ended. */
export async function settled(db: Db, projectId: string, id: string): Promise<GenerationRunView> {
  for (;;) {
    const run = await getGenerationRun(db, projectId, id);
    if (run.status !== 'QUEUED' && run.status !== 'RUNNING') return run;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a queued run with a worker of its own, then stops the worker. */
export async function runToEnd(db: Db, projectId: string, id: string, options: GenerationOptions, more: Partial<WorkerOptions> = {}): Promise<GenerationRunView> {
  const worker = testWorker(db, options, more);
  try {
    return await settled(db, projectId, id);
  } finally {
    await worker.stop();
  }
}
