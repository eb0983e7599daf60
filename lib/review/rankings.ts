import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError } from '../errors.ts';
import type { Turn } from '../queue/types.ts';

export interface RankedCandidate {
  id: string;
  content: string;
  model: string;
}

export interface RankingView {
  id: string;
  author: { id: string; name: string };
  status: 'SUBMITTED' | 'VALID' | 'INVALID';
  /** Best first; candidates in one tier are tied. */
  tiers: RankedCandidate[][];
  ratings: Record<string, { helpful: number; truthful: number; harmless: number }>;
  flags: Record<string, string[]>;
  rationale: string;
  allBad: boolean;
  guideline: { id: string; version: number; title: string } | null;
  createdAt: string;
  /** The latest review of this ranking (an invalidation), if any. */
  review: { verdict: string; comment: string; reviewerName: string; createdAt: string } | null;
}

export interface ItemRankings {
  item: { id: string; system: string | null; messages: Turn[]; project: { slug: string; name: string } };
  candidates: RankedCandidate[];
  rankings: RankingView[];
}

async function requireItemMember(db: Queryable, userId: string, itemId: string) {
  const item = await db.item.findFirst({
    where: { id: itemId, project: { members: { some: { userId } } } },
    select: { id: true, system: true, messages: true, projectId: true, project: { select: { slug: true, name: true } } },
  });
  // Not a member and no such item look the same, so a non-member learns nothing.
  if (!item) throw new DomainError('not_a_member', 'You are not a member of this item’s project.', 403);
  return item;
}

/** Every labeler's ranking of an item side by side, oldest first, for a member of its project. */
export async function itemRankings(db: Db, reviewerId: string, itemId: string): Promise<ItemRankings> {
  const item = await requireItemMember(db, reviewerId, itemId);
  const [candidates, rankings] = await Promise.all([
    db.candidate.findMany({ where: { itemId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, content: true, model: true } }),
    db.ranking.findMany({
      where: { itemId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        status: true,
        tiers: true,
        ratings: true,
        flags: true,
        rationale: true,
        allBad: true,
        createdAt: true,
        author: { select: { id: true, name: true } },
        guideline: { select: { id: true, version: true, title: true } },
        reviews: {
          orderBy: { createdAt: 'desc' },
          take: 1,
          select: { verdict: true, comment: true, createdAt: true, reviewer: { select: { name: true } } },
        },
      },
    }),
  ]);
  const byId = new Map(candidates.map((c) => [c.id, c]));
  return {
    item: { id: item.id, system: item.system, messages: item.messages as unknown as Turn[], project: item.project },
    candidates,
    rankings: rankings.map((ranking) => {
      const review = ranking.reviews[0];
      return {
        id: ranking.id,
        author: ranking.author,
        status: ranking.status,
        tiers: ((ranking.tiers as string[][] | null) ?? []).map((tier) =>
          tier.map((id) => byId.get(id) ?? { id, content: '', model: 'unknown' }),
        ),
        ratings: (ranking.ratings ?? {}) as RankingView['ratings'],
        flags: (ranking.flags ?? {}) as RankingView['flags'],
        rationale: ranking.rationale,
        allBad: ranking.allBad,
        guideline: ranking.guideline,
        createdAt: ranking.createdAt.toISOString(),
        review: review
          ? { verdict: review.verdict, comment: review.comment, reviewerName: review.reviewer.name, createdAt: review.createdAt.toISOString() }
          : null,
      };
    }),
  };
}

export interface Invalidated {
  /** The Review row (verdict INVALIDATE). */
  id: string;
  rankingId: string;
  /** True when the ranking was already invalid: the earlier invalidation is returned. */
  duplicate: boolean;
}

/**
 * Marks a ranking INVALID (its status is the only thing that changes) and records why in a
 * Review row with verdict INVALIDATE and in the audit log; one transaction with the ranking
 * row locked, so a second invalidation returns the first one.
 */
export async function invalidateRanking(db: Db, reviewerId: string, rankingId: string, reason: string, now = new Date()): Promise<Invalidated> {
  const comment = reason.trim();
  if (!comment) throw new DomainError('invalid_input', 'reason: say why this ranking is invalid', 400, 'reason');
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; itemId: string; authorId: string; status: string }[]>`
      SELECT id, "itemId", "authorId", status::text AS status FROM "Ranking" WHERE id = ${rankingId} FOR UPDATE`;
    const ranking = rows[0];
    if (!ranking) throw new DomainError('not_a_member', 'You are not a member of this ranking’s project.', 403);
    await requireItemMember(tx, reviewerId, ranking.itemId);
    if (ranking.authorId === reviewerId) throw new DomainError('own_work', 'You cannot review your own ranking.', 403);
    if (ranking.status === 'INVALID') {
      const prior = await tx.review.findFirst({
        where: { rankingId, verdict: 'INVALIDATE' },
        orderBy: { createdAt: 'desc' },
        select: { id: true },
      });
      if (prior) return { id: prior.id, rankingId, duplicate: true };
    }
    await tx.ranking.update({ where: { id: rankingId }, data: { status: 'INVALID' } });
    const review = await tx.review.create({
      data: { reviewerId, rankingId, verdict: 'INVALIDATE', comment, createdAt: now },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId: reviewerId,
      action: 'review.invalidate',
      entityType: 'Ranking',
      entityId: rankingId,
      before: { status: ranking.status },
      after: { status: 'INVALID', reviewId: review.id, comment },
    });
    return { id: review.id, rankingId, duplicate: false };
  });
}
