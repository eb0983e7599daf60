/**
 * How often labelers preferred a round's model over earlier ones. Every submitted ranking that
 * holds a candidate of the round's model and a candidate from an earlier source (an earlier
 * round's model, or an imported or external candidate: generation 0) gives one comparison per
 * such pair; a tie counts half, as everywhere else in Feedloop's figures.
 */

export interface WinRate {
  wins: number;
  ties: number;
  losses: number;
  comparisons: number;
  /** (wins + ties / 2) / comparisons; null with no comparison yet. */
  rate: number | null;
}

/**
 * The generation a candidate comes from: a round number, 0 for candidates from outside the loop,
 * undefined for candidates that are in no comparison (a bundled model outside every round).
 */
export type GenerationOf = (candidateId: string) => number | undefined;

/** `tiers` best → worst; ties share a tier. */
export function winRate(round: number, rankings: readonly (readonly (readonly string[])[])[], generationOf: GenerationOf): WinRate {
  let wins = 0;
  let ties = 0;
  let losses = 0;
  for (const tiers of rankings) {
    const newer: number[] = [];
    const older: number[] = [];
    tiers.forEach((tier, position) => {
      for (const id of tier) {
        const generation = generationOf(id);
        if (generation === round) newer.push(position);
        else if (generation !== undefined && generation < round) older.push(position);
      }
    });
    for (const mine of newer) {
      for (const theirs of older) {
        if (mine < theirs) wins++;
        else if (mine === theirs) ties++;
        else losses++;
      }
    }
  }
  const comparisons = wins + ties + losses;
  return { wins, ties, losses, comparisons, rate: comparisons === 0 ? null : (wins + ties / 2) / comparisons };
}
