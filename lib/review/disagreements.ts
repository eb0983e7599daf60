/**
 * Where a reward model and a labeler disagree: pairs the labeler put in one order while the
 * model's rewards say, strongly, the other. Plain arithmetic on rewards already computed, so the
 * web server can run it (scoring itself happens in the worker).
 */
import type { ChatTurn } from '../training/tokenizer.ts';

export interface RankedItem {
  itemId: string;
  prompt: ChatTurn[];
  candidates: Map<string, string>;
  rankings: { rankingId: string; labelerId: string; tiers: string[][] }[];
}

export interface Disagreement {
  rankingId: string;
  itemId: string;
  labelerId: string;
  /** The candidate the labeler put higher, and the one they put lower. */
  preferred: string;
  other: string;
  /** The reward model's scores of the two, and r(preferred) − r(other): negative when the model disagrees. */
  preferredReward: number;
  otherReward: number;
  margin: number;
}

/**
 * The rankings the rewards disagree with most, worst first, one row per ranking (its worst pair).
 * Pairs with a candidate that has no reward are skipped.
 */
export function disagreementsFrom(items: RankedItem[], rewards: ReadonlyMap<string, number>, limit = 50): Disagreement[] {
  const found: Disagreement[] = [];
  for (const item of items) {
    for (const ranking of item.rankings) {
      let worst: Disagreement | null = null;
      ranking.tiers.forEach((tier, i) => {
        for (const lower of ranking.tiers.slice(i + 1).flat()) {
          for (const higher of tier) {
            const a = rewards.get(higher);
            const b = rewards.get(lower);
            if (a === undefined || b === undefined) continue;
            const margin = a - b;
            if (margin < 0 && (!worst || margin < worst.margin)) {
              worst = { rankingId: ranking.rankingId, itemId: item.itemId, labelerId: ranking.labelerId, preferred: higher, other: lower, preferredReward: a, otherReward: b, margin };
            }
          }
        }
      });
      if (worst) found.push(worst);
    }
  }
  return found.sort((x, y) => x.margin - y.margin).slice(0, limit);
}
