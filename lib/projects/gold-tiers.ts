/**
 * A gold item's reference ranking as data, with no database access, so that the admin's
 * editor in the browser and the server check the same rules.
 *
 * Stored in Item.goldAnswer as `{tiers, source}`: the shape HH-RLHF imports write
 * (`{tiers: [[chosen], [rejected]], source: 'hh-rlhf'}`) and parseGold in
 * lib/metrics/project-agreement.ts reads for gold accuracy.
 */
import { z } from 'zod';

export interface GoldAnswer {
  /** Best → worst; answers in one tier are tied. */
  tiers: string[][];
  /** `admin` when an admin entered it; the import format otherwise (e.g. `hh-rlhf`). */
  source: string;
}

export const ADMIN_GOLD_SOURCE = 'admin';

// Far above any real item (imports allow 9 answers); only bounds what a request can make us read.
const MAX_ANSWERS = 100;

const candidateId = z.string().trim().min(1, 'must not be empty').max(100, 'is not an answer id (too long)');

export const goldInput = z.object({
  tiers: z
    .array(z.array(candidateId).min(1, 'is an empty tier').max(MAX_ANSWERS, `must have at most ${MAX_ANSWERS} answers`), {
      error: 'must be a list of tiers, each a list of answer ids',
    })
    .min(2, 'needs at least two tiers, or the ranking says nothing about which answer is better')
    .max(MAX_ANSWERS, `must have at most ${MAX_ANSWERS} tiers`),
});
export type GoldInput = z.infer<typeof goldInput>;

/** The input checked against one item's answers: every id is one of them, and none appears twice. */
export function goldInputFor(candidateIds: readonly string[]) {
  const known = new Set(candidateIds);
  return goldInput.superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.tiers.forEach((tier, i) =>
      tier.forEach((id, j) => {
        if (!known.has(id)) ctx.addIssue({ code: 'custom', path: ['tiers', i, j], message: `"${id}" is not an answer of this item` });
        else if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['tiers', i, j], message: `"${id}" is in more than one place; each answer goes in one tier` });
        seen.add(id);
      }),
    );
  });
}

/** Tier number chosen per answer (1 = best, null = left out of the ranking). */
export type TierChoices = Record<string, number | null>;

/**
 * The tiers an admin's choices make: numbers are only an order, so gaps close up (answers in
 * tiers 1 and 3 give two tiers); within a tier the answers keep their listed order.
 */
export function tiersFromChoices(order: readonly string[], choices: TierChoices): string[][] {
  const numbers = [...new Set(order.map((id) => choices[id]).filter((n): n is number => typeof n === 'number'))].sort((a, b) => a - b);
  return numbers.map((n) => order.filter((id) => choices[id] === n));
}

/** The choices that show stored tiers again; answers the tiers leave out are null. */
export function choicesFromTiers(order: readonly string[], tiers: readonly string[][] | null): TierChoices {
  const choices: TierChoices = Object.fromEntries(order.map((id) => [id, null]));
  tiers?.forEach((tier, index) => {
    for (const id of tier) if (id in choices && choices[id] === null) choices[id] = index + 1;
  });
  return choices;
}
