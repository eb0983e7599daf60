/**
 * The submitted rankings of a project, grouped by item with the prompt and candidate texts,
 * as reward-model QA reads them. Rankings a reviewer marked invalid are left out.
 */
import type { Queryable } from '../db.ts';
import type { RankedItem } from './disagreements.ts';

export async function rankedItems(db: Queryable, projectId: string): Promise<RankedItem[]> {
  const items = await db.item.findMany({
    where: { projectId, rankings: { some: { status: { not: 'INVALID' } } } },
    select: {
      id: true,
      system: true,
      messages: true,
      candidates: { select: { id: true, content: true } },
      rankings: { where: { status: { not: 'INVALID' }, allBad: false }, select: { id: true, authorId: true, tiers: true } },
    },
    orderBy: { createdAt: 'asc' },
  });
  return items.map((item) => ({
    itemId: item.id,
    prompt: [...(item.system ? [{ role: 'system' as const, content: item.system }] : []), ...(item.messages as { role: 'user' | 'assistant'; content: string }[])],
    candidates: new Map(item.candidates.map((c) => [c.id, c.content])),
    rankings: item.rankings.map((r) => ({ rankingId: r.id, labelerId: r.authorId, tiers: Array.isArray(r.tiers) ? (r.tiers as string[][]) : [] })),
  }));
}
