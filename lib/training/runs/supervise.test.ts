import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db.ts';
import type { ResultLine } from './lines.ts';
import { outcomeOf, summaryOf, supervise } from './supervise.ts';

const result = (finished: boolean): ResultLine => ({ type: 'result', method: 'sft', out: '/srv/training/r1', step: 4, finished, parameters: 10, baseline: { unigramLoss: 4 }, eval: null });

describe('how a training process ended', () => {
  it('succeeded only with exit code 0 and a finished result line', () => {
    expect(outcomeOf({ code: 0, signal: null, result: result(true), stopped: false, stderr: [] })).toEqual({ status: 'SUCCEEDED', error: null });
    expect(outcomeOf({ code: 0, signal: null, result: null, stopped: false, stderr: [] }).status).toBe('FAILED');
  });

  it('was cancelled when it saved a checkpoint and exited 130, or when our SIGTERM ended it before it could', () => {
    expect(outcomeOf({ code: 130, signal: null, result: result(false), stopped: true, stderr: [] })).toEqual({ status: 'CANCELLED', error: null });
    expect(outcomeOf({ code: null, signal: 'SIGTERM', result: null, stopped: true, stderr: [] }).status).toBe('CANCELLED');
    expect(outcomeOf({ code: null, signal: 'SIGKILL', result: null, stopped: false, stderr: [] })).toEqual({ status: 'FAILED', error: 'the training process was killed by SIGKILL' });
  });

  it('failed with the last lines it wrote on stderr, without the usage text', () => {
    const failed = outcomeOf({ code: 2, signal: null, result: null, stopped: false, stderr: ['train: --steps: "x" is not a number', 'usage: npm run train -- …'] });
    expect(failed).toEqual({ status: 'FAILED', error: 'train: --steps: "x" is not a number' });
    expect(outcomeOf({ code: 1, signal: null, result: null, stopped: false, stderr: [] }).error).toBe('the training process exited with code 1');
    expect(outcomeOf({ code: null, signal: null, result: null, stopped: false, stderr: [], spawnError: 'spawn ENOENT' }).error).toBe('the training process could not start: spawn ENOENT');
  });

  it('keeps the result without the server’s path', () => {
    expect(summaryOf(result(true))).toEqual({ method: 'sft', step: 4, finished: true, parameters: 10, baseline: { unigramLoss: 4 }, eval: null });
  });
});

/** A stand-in trainer process: records the signals it is sent and closes when killed. */
function fakeTrainer() {
  const child = Object.assign(new EventEmitter(), { stdout: new PassThrough(), stderr: new PassThrough(), pid: 4242, signals: [] as string[] });
  (child as unknown as { kill: (signal: string) => boolean }).kill = (signal: string) => {
    child.signals.push(signal);
    setImmediate(() => child.emit('close', null, signal));
    return true;
  };
  return child;
}

describe('a trainer whose worker no longer holds the run', () => {
  const job = { id: 'run-fence', leaseId: 'lease-1', attempts: 1 };

  it('is killed, not asked to save, once a heartbeat finds the lease taken over', async () => {
    const child = fakeTrainer();
    // The heartbeat's UPDATE … WHERE "leaseId" = ours matched nothing: another worker holds the run.
    const db = { $queryRaw: async () => [], $executeRaw: async () => 0, trainingRun: { updateMany: async () => ({ count: 0 }) } } as unknown as Db;
    await supervise(db, job.id, child as unknown as ChildProcess, { out: '/nonexistent', job, flushMs: 10 });
    expect(child.signals).toEqual(['SIGKILL']);
  });

  it('is killed before the stale limit when heartbeats keep failing (the database is out of reach)', async () => {
    const child = fakeTrainer();
    const db = {
      $queryRaw: async () => {
        throw new Error('connection refused');
      },
      trainingRun: { updateMany: async () => ({ count: 0 }) },
    } as unknown as Db;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await supervise(db, 'run-fence-2', child as unknown as ChildProcess, { out: '/nonexistent', job: { ...job, id: 'run-fence-2' }, flushMs: 10, staleMs: 100 });
    } finally {
      errors.mockRestore();
    }
    expect(child.signals).toEqual(['SIGKILL']);
  });
});
