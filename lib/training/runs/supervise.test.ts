import { describe, expect, it } from 'vitest';
import type { ResultLine } from './lines.ts';
import { outcomeOf, summaryOf } from './supervise.ts';

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
