/**
 * Preference pairs from rankings (DESIGN.md §4). A ranking with tiers T1 > T2 > … gives every
 * pair (a ∈ Ti, b ∈ Tj, i < j) with margin j − i; candidates sharing a tier give no pair.
 */
export interface Pair {
  chosen: string;
  rejected: string;
  margin: number;
}

export function pairsFromTiers(tiers: string[][]): Pair[] {
  const pairs: Pair[] = [];
  tiers.forEach((better, i) =>
    tiers.slice(i + 1).forEach((worse, offset) => {
      for (const chosen of better) for (const rejected of worse) pairs.push({ chosen, rejected, margin: offset + 1 });
    }),
  );
  return pairs;
}

export interface AggregatedPair extends Pair {
  /** Share of the labelers who ranked both candidates that agree with this direction. */
  agreement: number;
  /** Labelers who ranked both candidates (a tie counts as ranking both, with no direction). */
  voters: number;
  votes: number;
}

/**
 * Pairs over the k labelers of one item: for each two candidates, the direction most labelers
 * chose wins; a tie in votes (1–1, with a third abstaining, say) gives no pair. The margin is
 * the mean margin of the labelers in the majority, rounded to whole tiers.
 */
export function aggregatePairs(rankings: string[][][]): AggregatedPair[] {
  const tally = new Map<string, { a: string; b: string; forA: number[]; forB: number[]; voters: number }>();
  for (const tiers of rankings) {
    const position = new Map<string, number>();
    tiers.forEach((tier, i) => tier.forEach((id) => position.set(id, i)));
    const ids = [...position.keys()].sort();
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        const a = ids[x]!;
        const b = ids[y]!;
        const key = `${a}\u0000${b}`;
        const entry = tally.get(key) ?? { a, b, forA: [], forB: [], voters: 0 };
        entry.voters += 1;
        const diff = position.get(b)! - position.get(a)!;
        if (diff > 0) entry.forA.push(diff);
        else if (diff < 0) entry.forB.push(-diff);
        tally.set(key, entry);
      }
    }
  }
  const pairs: AggregatedPair[] = [];
  for (const { a, b, forA, forB, voters } of tally.values()) {
    if (forA.length === forB.length) continue;
    const [chosen, rejected, margins] = forA.length > forB.length ? [a, b, forA] : [b, a, forB];
    pairs.push({
      chosen,
      rejected,
      margin: Math.max(1, Math.round(margins.reduce((sum, m) => sum + m, 0) / margins.length)),
      agreement: margins.length / voters,
      voters,
      votes: margins.length,
    });
  }
  return pairs;
}
