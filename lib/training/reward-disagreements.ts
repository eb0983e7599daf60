/**
 * Reward-model-assisted QA: score every candidate a labeler ranked with a trained reward
 * model and find the rankings it disagrees with most — pairs the labeler put in one order
 * while the model's reward margin says, strongly, the other. Those are worth a reviewer's look
 * (a careless ranking, or a reward model that learned something wrong).
 */
import { tf } from './backend.ts';
import type { Checkpoint } from './checkpoint.ts';
import { completion } from './data.ts';
import { withViews } from './evaluate.ts';
import { reward } from './objectives.ts';
import type { ChatTurn } from './tokenizer.ts';

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

export interface DisagreementOptions {
  /** How many rows at most, strongest disagreement first (50). */
  limit?: number;
  /**
   * Rewards already computed with this model, by candidate id; filled as candidates are scored.
   * A candidate's prompt and text never change, so a reviewer who looks again pays only for new ones.
   */
  rewards?: Map<string, number>;
  /** Asked between items; true ends scoring early (null is returned): the caller gave up. */
  shouldStop?: () => boolean;
}

export function rewardDisagreements(model: Checkpoint, items: RankedItem[], options?: Omit<DisagreementOptions, 'shouldStop'>): Disagreement[];
export function rewardDisagreements(model: Checkpoint, items: RankedItem[], options: DisagreementOptions): Disagreement[] | null;
export function rewardDisagreements(model: Checkpoint, items: RankedItem[], { limit = 50, rewards: known = new Map(), shouldStop }: DisagreementOptions = {}): Disagreement[] | null {
  if (model.config.head !== 'reward') throw new Error('reward-model QA needs a reward-model checkpoint');
  const found: Disagreement[] = [];
  let stopped = false;
  withViews(model.config, model.params, (views) => {
    for (const item of items) {
      if (shouldStop?.()) {
        stopped = true;
        return;
      }
      const rewards = new Map<string, number>();
      for (const [id, text] of item.candidates) {
        let score = known.get(id);
        if (score === undefined) {
          score = tf.tidy(() => reward(views, completion(model.tokenizer, item.prompt, text, model.config.contextLength)).dataSync()[0]!);
          known.set(id, score);
        }
        rewards.set(id, score);
      }
      for (const ranking of item.rankings) {
        // The worst disagreement within one ranking stands for it: one row per ranking.
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
  });
  if (stopped) return null;
  return found.sort((x, y) => x.margin - y.margin).slice(0, limit);
}
