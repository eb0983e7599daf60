import { describe, expect, it } from 'vitest';
import { emptyBoard, insertTierAt, isComplete, move, placeInTier, unplace, type Board } from './tiers.ts';

describe('ranking board', () => {
  it('places candidates by tier number, with a tie where two share a number', () => {
    let board = emptyBoard(['a', 'b', 'c', 'd']);
    board = placeInTier(board, 'c', 0);
    board = placeInTier(board, 'a', 0);
    board = placeInTier(board, 'd', 1);
    expect(isComplete(board)).toBe(false);
    board = placeInTier(board, 'b', 2);
    expect(board).toEqual({ tiers: [['c', 'a'], ['d'], ['b']], unplaced: [] });
    expect(isComplete(board)).toBe(true);
  });

  it('opens a new bottom tier for a number past the last tier', () => {
    const board = placeInTier(placeInTier(emptyBoard(['a', 'b']), 'a', 0), 'b', 7);
    expect(board.tiers).toEqual([['a'], ['b']]);
  });

  it('re-placing a candidate moves it and closes the tier it left', () => {
    let board = placeInTier(placeInTier(emptyBoard(['a', 'b']), 'a', 0), 'b', 1);
    board = placeInTier(board, 'a', 1);
    expect(board.tiers).toEqual([['b', 'a']]);
  });

  it('moves a candidate up and down one step, splitting ties first', () => {
    let board: Board = { tiers: [['a'], ['b', 'c'], ['d']], unplaced: [] };
    board = move(board, 'c', 'up');
    expect(board.tiers).toEqual([['a'], ['c'], ['b'], ['d']]);
    board = move(board, 'c', 'up');
    expect(board.tiers).toEqual([['a', 'c'], ['b'], ['d']]);
    board = move(board, 'b', 'down');
    expect(board.tiers).toEqual([['a', 'c'], ['d', 'b']]);
    board = move(board, 'b', 'down');
    expect(board.tiers).toEqual([['a', 'c'], ['d'], ['b']]);
    expect(move(board, 'b', 'down')).toEqual(board);
    expect(move({ tiers: [['x'], ['y']], unplaced: [] }, 'x', 'up').tiers).toEqual([['x'], ['y']]);
  });

  it('inserts a tier between others and can take a candidate back off the board', () => {
    let board: Board = { tiers: [['a'], ['b']], unplaced: ['c'] };
    board = insertTierAt(board, 'c', 1);
    expect(board.tiers).toEqual([['a'], ['c'], ['b']]);
    board = unplace(board, 'a');
    expect(board).toEqual({ tiers: [['c'], ['b']], unplaced: ['a'] });
  });
});
