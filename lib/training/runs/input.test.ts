import { describe, expect, it } from 'vitest';
import { startTrainingInput } from '../runs.ts';

const issue = (body: unknown) => {
  const parsed = startTrainingInput.safeParse(body);
  return parsed.success ? null : { path: parsed.error.issues[0]!.path.join('.'), message: parsed.error.issues[0]!.message };
};

describe('a request to start a training run', () => {
  it('fills every hyper-parameter it leaves out with trainConfigSchema’s default', () => {
    const parsed = startTrainingInput.parse({ method: 'sft', exportRunId: ' e1 ', config: { steps: 10 } });
    expect(parsed).toMatchObject({ method: 'sft', exportRunId: 'e1', config: { steps: 10, layers: 4, width: 128, batchSize: 8 } });
    expect(startTrainingInput.parse({ method: 'reward', exportRunId: 'e1', initRunId: '' }).initRunId).toBeNull();
    expect(startTrainingInput.parse({ method: 'reward', exportRunId: 'e1' }).config.steps).toBe(300);
  });

  it('names the field that is wrong', () => {
    expect(issue({ method: 'dpo', exportRunId: 'e1' })).toEqual({ path: 'initRunId', message: expect.stringContaining('SFT run') });
    expect(issue({ method: 'sft', exportRunId: 'e1', initRunId: 'r1' })?.path).toBe('initRunId');
    expect(issue({ method: 'sft', exportRunId: 'e1', config: { width: 30, heads: 4 } })?.path).toBe('config.heads');
    expect(issue({ method: 'sft', exportRunId: 'e1', config: { vocabSize: 100 } })?.path).toBe('config.vocabSize');
    expect(issue({ method: 'sft', exportRunId: '' })?.path).toBe('exportRunId');
    expect(issue({ method: 'x', exportRunId: 'e1' })?.path).toBe('method');
    expect(issue({ method: 'sft', exportRunId: 'e1', extra: 1 })?.path).toBe('');
  });

  it('takes the model shape from the base run, so a base run makes the shape fields moot', () => {
    expect(issue({ method: 'dpo', exportRunId: 'e1', initRunId: 'r1', config: { width: 30, heads: 4 } })).toBeNull();
  });
});
