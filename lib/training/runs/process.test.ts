import { describe, expect, it } from 'vitest';
import { TRAIN_FLAGS } from '../cli-options.ts';
import { trainConfigSchema } from '../config.ts';
import { trainerArgs } from './process.ts';

describe('the training command', () => {
  it('runs scripts/train.ts through tsx with every hyper-parameter spelled out and JSON lines', () => {
    const config = trainConfigSchema.parse({ steps: 4, learningRate: 3e-4, layers: 1 });
    const args = trainerArgs({ method: 'dpo', data: '/exports/e1', out: '/training/r1', init: '/training/r0', config });
    expect(args.slice(0, 10)).toEqual(['--import', 'tsx', 'scripts/train.ts', 'dpo', '--data', '/exports/e1', '--out', '/training/r1', '--init', '/training/r0']);
    expect(args.at(-1)).toBe('--json');
    for (const flag of TRAIN_FLAGS) expect(args, flag).toContain(`--${flag}`);
    expect(args[args.indexOf('--learning-rate') + 1]).toBe('0.0003');
    expect(args[args.indexOf('--steps') + 1]).toBe('4');
    expect(args[args.indexOf('--batch-size') + 1]).toBe('8');
  });

  it('leaves out --init when there is no base checkpoint', () => {
    expect(trainerArgs({ method: 'sft', data: 'd', out: 'o', init: null, config: trainConfigSchema.parse({}) })).not.toContain('--init');
  });
});
