import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';

export interface MemberProject {
  id: string;
  slug: string;
  name: string;
  instructions: string;
  status: 'OPEN' | 'PAUSED' | 'CLOSED';
  demonstrationsPerItem: number;
  rankingsPerItem: number;
  candidatesPerRanking: number;
  leaseMinutes: number;
}

/**
 * The project with this slug, only if the user is a member; membership is part of the query,
 * so a non-member learns nothing (not even whether the project exists).
 */
export async function requireMemberProject(db: Db, userId: string, slug: string): Promise<MemberProject> {
  const project = await db.project.findFirst({
    where: { slug, members: { some: { userId } } },
    select: {
      id: true,
      slug: true,
      name: true,
      instructions: true,
      status: true,
      demonstrationsPerItem: true,
      rankingsPerItem: true,
      candidatesPerRanking: true,
      leaseMinutes: true,
    },
  });
  if (!project) throw new DomainError('not_a_member', 'You are not a member of this project.', 403);
  return project;
}
