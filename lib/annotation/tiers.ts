/**
 * The ranking board as data: tiers best → worst (a tier with several candidates is a tie) and
 * the candidates not placed yet. Every operation returns a new board with no empty tiers.
 */
export interface Board {
  tiers: string[][];
  unplaced: string[];
}

export function emptyBoard(candidateIds: string[]): Board {
  return { tiers: [], unplaced: [...candidateIds] };
}

function without(board: Board, id: string): Board {
  return {
    tiers: board.tiers.map((tier) => tier.filter((x) => x !== id)),
    unplaced: board.unplaced.filter((x) => x !== id),
  };
}

// Tiers keep their indices until the operation is done; empty ones are dropped at the end.
function normalised(board: Board): Board {
  return { tiers: board.tiers.filter((tier) => tier.length > 0), unplaced: board.unplaced };
}

export function tierOf(board: Board, id: string): number {
  return board.tiers.findIndex((tier) => tier.includes(id));
}

/**
 * Puts a candidate into tier `index` (0 = best). An index past the last tier opens a new tier
 * at the bottom, so pressing 1, 1, 2, 3 ranks four candidates with a tie at the top.
 */
export function placeInTier(board: Board, id: string, index: number): Board {
  const rest = without(board, id);
  const tiers = rest.tiers.map((tier) => [...tier]);
  const target = Math.max(0, index);
  if (target < tiers.length) tiers[target]!.push(id);
  else tiers.push([id]);
  return normalised({ tiers, unplaced: rest.unplaced });
}

/** Inserts a candidate as a tier of its own just before tier `index` (drop between tiers). */
export function insertTierAt(board: Board, id: string, index: number): Board {
  const rest = without(board, id);
  const tiers = rest.tiers.map((tier) => [...tier]);
  tiers.splice(Math.min(Math.max(0, index), tiers.length), 0, [id]);
  return normalised({ tiers, unplaced: rest.unplaced });
}

/**
 * One step better (up) or worse (down). A candidate tied with others first leaves the tie into
 * a tier of its own on that side; a candidate alone in its tier joins the neighbouring tier.
 */
export function move(board: Board, id: string, direction: 'up' | 'down'): Board {
  const index = tierOf(board, id);
  if (index === -1) return placeInTier(board, id, direction === 'up' ? 0 : board.tiers.length);
  const alone = board.tiers[index]!.length === 1;
  if (direction === 'up') {
    if (alone) return index === 0 ? board : placeInTier(board, id, index - 1);
    return insertTierAt(board, id, index);
  }
  if (alone) return index === board.tiers.length - 1 ? board : placeInTier(board, id, index + 1);
  return insertTierAt(board, id, index + 1);
}

export function unplace(board: Board, id: string): Board {
  const rest = without(board, id);
  return normalised({ tiers: rest.tiers, unplaced: [...rest.unplaced, id] });
}

export function isComplete(board: Board): boolean {
  return board.unplaced.length === 0 && board.tiers.length > 0;
}
