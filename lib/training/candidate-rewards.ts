/**
 * What a trained reward model makes of candidates: one scalar reward per (prompt, reply), for
 * reward-model-assisted QA (lib/review), which compares them with the labelers' rankings.
 */
import type { RankedItem } from '../review/disagreements.ts';
import { tf } from './backend.ts';
import type { Checkpoint } from './checkpoint.ts';
import { completion } from './data.ts';
import { withViews } from './evaluate.ts';
import { reward } from './objectives.ts';

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
