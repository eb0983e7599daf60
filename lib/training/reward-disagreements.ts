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
import { disagreementsFrom, type Disagreement, type RankedItem } from '../review/disagreements.ts';

export type { Disagreement, RankedItem } from '../review/disagreements.ts';

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
export function rewardDisagreements(model: Checkpoint, items: RankedItem[], { limit = 50, rewards = new Map(), shouldStop }: DisagreementOptions = {}): Disagreement[] | null {
  return scoreCandidates(model, items, rewards, shouldStop) ? disagreementsFrom(items, rewards, limit) : null;
}

/**
 * Fills `rewards` with the reward of every candidate of `items` it does not hold yet. Returns
 * false when `shouldStop` (asked between items) ended it early; what was scored stays.
 */
export function scoreCandidates(model: Checkpoint, items: Pick<RankedItem, 'prompt' | 'candidates'>[], rewards: Map<string, number>, shouldStop?: () => boolean): boolean {
  if (model.config.head !== 'reward') throw new Error('reward-model QA needs a reward-model checkpoint');
  let finished = true;
  withViews(model.config, model.params, (views) => {
    for (const item of items) {
      if (shouldStop?.()) {
        finished = false;
        return;
      }
      for (const [id, text] of item.candidates) {
        if (rewards.has(id)) continue;
        rewards.set(id, tf.tidy(() => reward(views, completion(model.tokenizer, item.prompt, text, model.config.contextLength)).dataSync()[0]!));
      }
    }
  });
  return finished;
}
