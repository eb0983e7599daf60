/**
 * Watches one training process from the worker that started it: reads its JSON lines into the
 * run's row (throttled), beats the job's heartbeat so other workers can tell a live run from a
 * lost one, acts on a cancel that any server recorded, and writes the outcome when it exits.
 * Every write is guarded by the worker's lease on the run. When the worker stops, the trainer
 * saves a checkpoint and the run goes back to the queue, for the next worker to resume.
 */
import type { ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { Db } from '../../db.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { heartbeat, releaseJob, STALE_MS, type Claimed } from '../../jobs/queue.ts';
import { isCheckpoint } from '../checkpoint-folder.ts';
import { parseTrainerLine, type ResultLine } from './lines.ts';
import { MetricsLog, type MetricPoint } from './metrics.ts';

export const FLUSH_MS = 2000;
const STDERR_LINES = 20;
const ERROR_CHARS = 4000;

/** The result line as the run keeps it: without the server-side path of its checkpoint. */
export type TrainingSummary = Omit<ResultLine, 'type' | 'out'>;

export function summaryOf(result: ResultLine): TrainingSummary {
  const { type: _type, out: _out, ...summary } = result;
  return summary;
}

export interface Outcome {
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  error: string | null;
}

/**
 * How a run ended. The CLI exits 130 after saving a checkpoint on SIGTERM or SIGINT; a signal
 * we sent that killed it before its handler was installed counts as a cancel too.
 */
export function outcomeOf(exit: { code: number | null; signal: string | null; result: ResultLine | null; stopped: boolean; stderr: string[]; spawnError?: string }): Outcome {
  if (exit.code === 0 && exit.result?.finished) return { status: 'SUCCEEDED', error: null };
  if (exit.code === 130 || (exit.stopped && exit.signal !== null)) return { status: 'CANCELLED', error: null };
  // The usage text after a "bad arguments" message says nothing about this run.
  const tail = exit.stderr.filter((line) => line.trim() && !line.startsWith('usage: '));
  let error = tail.join('\n').slice(-ERROR_CHARS);
  if (!error) {
    error = exit.spawnError
      ? `the training process could not start: ${exit.spawnError}`
      : exit.signal
        ? `the training process was killed by ${exit.signal}`
        : `the training process exited with code ${exit.code}`;
  }
  return { status: 'FAILED', error };
}

interface Watched {
  child: ChildProcess;
  stop(): void;
  settled: Promise<void>;
}

// The processes this worker watches; on globalThis so a dev-server reload does not forget them.
const registry = globalThis as unknown as { feedloopTrainers?: Map<string, Watched> };

function watched(): Map<string, Watched> {
  return (registry.feedloopTrainers ??= new Map());
}

/** Ids of the runs whose processes this process is watching. */
export function localRunIds(): string[] {
  return [...watched().keys()];
}

/** Sends SIGTERM to a run's process if this process watches it; false when another worker (or none) does. */
export function stopLocalRun(runId: string): boolean {
  const run = watched().get(runId);
  run?.stop();
  return run !== undefined;
}

/** Resolves once the run's outcome is written (tests wait on it; the app polls the row instead). */
export function settledRun(runId: string): Promise<void> | undefined {
  return watched().get(runId)?.settled;
}

export interface SuperviseOptions {
  out: string;
  /** The worker's claim on the run. */
  job: Claimed;
  flushMs?: number;
  /** Aborted when the worker stops: the trainer saves a checkpoint and the run is handed back. */
  handOver?: AbortSignal;
  /** The curves recorded before this worker resumed the run. */
  previous?: MetricPoint[];
  /** How long without a heartbeat before another worker may take the run over (the queue's stale limit). */
  staleMs?: number;
}

export function supervise(db: Db, runId: string, child: ChildProcess, options: SuperviseOptions): Promise<void> {
  const { job } = options;
  const log = MetricsLog.from(options.previous ?? []);
  const stderr: string[] = [];
  let result: ResultLine | null = null;
  let dirty = false;
  let stopped = false;
  let handingOver = false;
  let cancelSeen = false;
  let lost = false;
  let spawnError: string | undefined;
  let flushing: Promise<void> | null = null;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGTERM');
  };
  // The run is (or may be about to be) another worker's: this trainer must not save again into
  // the folder its successor trains from, so it is killed, never asked to save and stop.
  const fence = () => {
    lost = true;
    stopped = true;
    child.kill('SIGKILL');
  };
  const flushMs = options.flushMs ?? FLUSH_MS;
  // Well inside the stale limit, so this worker gives the run up before anyone else may take it.
  const fenceAfterMs = (options.staleMs ?? STALE_MS) - 2 * flushMs;
  let lastBeat = Date.now();

  const figures = () => ({
    metrics: log.series() as unknown as Prisma.InputJsonValue,
    latest: log.latest() as unknown as Prisma.InputJsonValue,
  });
  const figuresSql = () => Prisma.sql`metrics = ${JSON.stringify(log.series())}::jsonb, latest = ${JSON.stringify(log.latest())}::jsonb`;

  const flush = async () => {
    const set = dirty ? figuresSql() : undefined;
    dirty = false;
    const state = await heartbeat(db, 'TrainingRun', job, set);
    lastBeat = Date.now();
    // Not ours any more (presumed dead and taken over, or deleted): nobody would record what it does.
    if (!state.held) return fence();
    if (state.cancelRequested) {
      cancelSeen = true;
      stop();
    }
  };

  const onHandOver = () => {
    handingOver = true;
    stop();
  };
  if (options.handOver?.aborted) onHandOver();
  else options.handOver?.addEventListener('abort', onHandOver, { once: true });

  const timer = setInterval(() => {
    // Heartbeats have been failing (the database is out of reach) for nearly the stale limit.
    if (!lost && Date.now() - lastBeat > fenceAfterMs) {
      console.error(`training run ${runId}: no heartbeat for ${Math.round((Date.now() - lastBeat) / 1000)} s; stopping its trainer before another worker takes the run over`);
      fence();
    }
    if (flushing) return;
    flushing = flush()
      .catch((error: unknown) => console.error(`training run ${runId}: could not record progress`, error))
      .finally(() => {
        flushing = null;
      });
  }, flushMs);
  timer.unref();

  readline.createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    const message = parseTrainerLine(line);
    if (!message) return;
    if (message.type === 'progress') log.addProgress(message);
    else if (message.type === 'eval') log.addEval(message);
    else result = message;
    dirty = true;
  });
  readline.createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', (line) => {
    stderr.push(line.slice(0, 1000));
    if (stderr.length > STDERR_LINES) stderr.shift();
  });

  let finish!: (code: number | null, signal: string | null) => void;
  const settled = new Promise<void>((resolve) => {
    let done = false;
    finish = (code, signal) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      options.handOver?.removeEventListener('abort', onHandOver);
      void (async () => {
        try {
          await flushing;
          const outcome = outcomeOf({ code, signal, result, stopped, stderr, spawnError });
          const summary = result ? summaryOf(result) : null;
          const hasCheckpoint = isCheckpoint(options.out);
          if (lost) return;
          if (handingOver && !cancelSeen && outcome.status === 'CANCELLED') {
            // Stopped at a checkpoint because the worker is stopping, not because anyone asked:
            // the next worker resumes it (and sees a cancel recorded after this one's last heartbeat).
            await releaseJob(db, 'TrainingRun', job, figuresSql());
            return;
          }
          await db.trainingRun.updateMany({
            where: { id: runId, leaseId: job.leaseId, status: 'RUNNING' },
            data: {
              status: outcome.status,
              error: outcome.error,
              finishedAt: new Date(),
              ...figures(),
              ...(summary ? { summary: summary as unknown as Prisma.InputJsonValue } : {}),
              checkpointPath: hasCheckpoint ? options.out : null,
              heartbeatAt: null,
              leaseId: null,
            },
          });
        } catch (error) {
          console.error(`training run ${runId}: could not record its outcome`, error);
        } finally {
          watched().delete(runId);
          resolve();
        }
      })();
    };
  });

  child.once('error', (error) => {
    spawnError = error.message;
    // A process that never started emits no 'close' on every platform.
    if (child.pid === undefined) finish(null, null);
  });
  child.once('close', (code, signal) => finish(code, signal));
  watched().set(runId, { child, stop, settled });
  return settled;
}
