import { DomainError } from '../errors.ts';
import { RATING_DIMENSIONS, type RankingInput } from './schemas.ts';

/**
 * Checks a ranking against the candidates this labeler was shown: every one placed exactly
 * once, none from elsewhere, each rated, and a rationale where the guideline asks for one.
 */
export function validateRanking(input: RankingInput, shown: string[]): void {
  const shownSet = new Set(shown);
  const placed = new Set<string>();
  input.tiers.forEach((tier, t) =>
    tier.forEach((id, i) => {
      if (!shownSet.has(id)) {
        throw new DomainError('foreign_candidate', `tiers[${t}][${i}]: "${id}" is not a candidate of this task.`, 400, `tiers.${t}.${i}`);
      }
      if (placed.has(id)) {
        throw new DomainError('duplicate_candidate', `tiers[${t}][${i}]: "${id}" is placed twice.`, 400, `tiers.${t}.${i}`);
      }
      placed.add(id);
    }),
  );
  const missing = shown.filter((id) => !placed.has(id));
  if (missing.length) {
    throw new DomainError('unranked_candidate', `tiers: ${missing.length} candidate(s) not placed (${missing.join(', ')}).`, 400, 'tiers');
  }
  for (const id of Object.keys(input.ratings)) {
    if (!shownSet.has(id)) throw new DomainError('foreign_candidate', `ratings.${id}: not a candidate of this task.`, 400, `ratings.${id}`);
  }
  for (const id of shown) {
    const ratings = input.ratings[id];
    for (const dimension of RATING_DIMENSIONS) {
      if (ratings?.[dimension] === undefined) {
        throw new DomainError('missing_rating', `ratings.${id}.${dimension}: rate every candidate 1–5.`, 400, `ratings.${id}.${dimension}`);
      }
    }
  }
  for (const id of Object.keys(input.flags)) {
    if (!shownSet.has(id)) throw new DomainError('foreign_candidate', `flags.${id}: not a candidate of this task.`, 400, `flags.${id}`);
  }
  if (rationaleRequired(input) && !input.rationale) {
    throw new DomainError(
      'rationale_required',
      'rationale: explain your choice (required when the top two are tied or a flag is set).',
      400,
      'rationale',
    );
  }
}

/** The guideline asks for a rationale when the best tier is a tie or any candidate is flagged. */
export function rationaleRequired(input: Pick<RankingInput, 'tiers' | 'flags'>): boolean {
  const topTied = (input.tiers[0]?.length ?? 0) > 1;
  const flagged = Object.values(input.flags).some((flags) => flags.length > 0);
  return topTied || flagged;
}
