import { describe, expect, it } from 'vitest';
import { splitOf } from './split.ts';

describe('train/test split', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `item-${i}`);

  it('is the same for the same seed and differs for another seed', () => {
    const a = ids.map((id) => splitOf(id, 7, 0.1));
    expect(ids.map((id) => splitOf(id, 7, 0.1))).toEqual(a);
    expect(ids.map((id) => splitOf(id, 8, 0.1))).not.toEqual(a);
  });

  it('puts about the asked share in the test split, and everything in train at 0', () => {
    const test = ids.filter((id) => splitOf(id, 1, 0.2) === 'test').length / ids.length;
    expect(test).toBeGreaterThan(0.17);
    expect(test).toBeLessThan(0.23);
    expect(ids.every((id) => splitOf(id, 1, 0) === 'train')).toBe(true);
  });
});
