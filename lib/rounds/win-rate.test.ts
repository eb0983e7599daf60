import { describe, expect, it } from 'vitest';
import { winRate } from './win-rate.ts';

// c-new* come from round 2's model, c-old from round 1's, c-imp were imported, c-odd from a model in no round.
const generation: Record<string, number | undefined> = { 'c-new': 2, 'c-new2': 2, 'c-old': 1, 'c-imp': 0, 'c-later': 3 };
const generationOf = (id: string) => generation[id];

describe('winRate', () => {
  it('counts one comparison per (newer, earlier) pair in each ranking, ties as half', () => {
    const figures = winRate(2, [[['c-new'], ['c-old'], ['c-imp']], [['c-old', 'c-new'], ['c-imp']], [['c-imp'], ['c-new']]], generationOf);
    // Ranking 1: new beats old and imported (2 wins). Ranking 2: ties old, beats imported. Ranking 3: loses to imported.
    expect(figures).toEqual({ wins: 3, ties: 1, losses: 1, comparisons: 5, rate: 3.5 / 5 });
  });

  it('ignores candidates of the same round, of later rounds and of models outside every round', () => {
    const figures = winRate(2, [[['c-odd'], ['c-later'], ['c-new'], ['c-new2']]], generationOf);
    expect(figures).toEqual({ wins: 0, ties: 0, losses: 0, comparisons: 0, rate: null });
  });

  it('compares the first round against everything from outside the loop', () => {
    expect(winRate(1, [[['c-imp'], ['c-old']], [['c-old'], ['c-imp']], [['c-old'], ['c-imp']]], generationOf).rate).toBeCloseTo(2 / 3);
  });
});
