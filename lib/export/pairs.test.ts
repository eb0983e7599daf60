import { describe, expect, it } from 'vitest';
import { aggregatePairs, pairsFromTiers } from './pairs.ts';

describe('pairs from one ranking', () => {
  it('gives every cross-tier pair with its margin, and none inside a tier', () => {
    expect(pairsFromTiers([['a'], ['b', 'c'], ['d']])).toEqual([
      { chosen: 'a', rejected: 'b', margin: 1 },
      { chosen: 'a', rejected: 'c', margin: 1 },
      { chosen: 'a', rejected: 'd', margin: 2 },
      { chosen: 'b', rejected: 'd', margin: 1 },
      { chosen: 'c', rejected: 'd', margin: 1 },
    ]);
  });

  it('gives nothing when everything is tied or there is one candidate', () => {
    expect(pairsFromTiers([['a', 'b', 'c']])).toEqual([]);
    expect(pairsFromTiers([['a']])).toEqual([]);
  });
});

describe('pairs aggregated over labelers', () => {
  it('keeps the majority direction of a 2–1 split with agreement 2/3', () => {
    const pairs = aggregatePairs([
      [['a'], ['b']],
      [['a'], ['b']],
      [['b'], ['a']],
    ]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ chosen: 'a', rejected: 'b', margin: 1, votes: 2, voters: 3 });
    expect(pairs[0]!.agreement).toBeCloseTo(0.667, 3);
  });

  it('drops a 1–1 split where the third labeler tied the two', () => {
    expect(
      aggregatePairs([
        [['a'], ['b']],
        [['b'], ['a']],
        [['a', 'b']],
      ]),
    ).toEqual([]);
  });

  it('counts a tie as a voter without a direction', () => {
    const [pair] = aggregatePairs([
      [['a'], ['b']],
      [['a'], ['b']],
      [['a', 'b']],
    ]);
    expect(pair).toMatchObject({ chosen: 'a', rejected: 'b', votes: 2, voters: 3 });
  });

  it('averages the margins of the majority', () => {
    const pairs = aggregatePairs([
      [['a'], ['x'], ['y'], ['b']],
      [['a'], ['b']],
    ]);
    expect(pairs.find((p) => p.chosen === 'a' && p.rejected === 'b')).toMatchObject({ margin: 2, agreement: 1 });
  });
});
