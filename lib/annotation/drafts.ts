import type { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';

export interface SavedDraft {
  revision: number;
  savedAt: string;
  leaseExpiresAt: string;
}

/**
 * Autosave. Saving while the lease is live also renews it, so a labeler who is still typing
 * never loses the task; a draft of an already-submitted task is refused.
 */
export async function saveDraft(db: Db, userId: string, assignmentId: string, content: unknown, now = new Date()): Promise<SavedDraft> {
  return db.$transaction(async (tx) => {
    const assignment = await tx.assignment.findFirst({
      where: { id: assignmentId, userId, kind: { in: ['DEMONSTRATION', 'RANKING'] } },
      select: { id: true, status: true, leaseExpiresAt: true, item: { select: { project: { select: { leaseMinutes: true } } } } },
    });
    if (!assignment) throw new DomainError('not_found', 'No such task.', 404);
    if (assignment.status === 'SUBMITTED' || assignment.status === 'SKIPPED') {
      throw new DomainError('closed', 'This task is closed; the draft was not saved.', 409);
    }
    let leaseExpiresAt = assignment.leaseExpiresAt;
    if (assignment.status === 'ACTIVE' && assignment.leaseExpiresAt > now) {
      leaseExpiresAt = new Date(now.getTime() + assignment.item.project.leaseMinutes * 60_000);
      await tx.assignment.update({ where: { id: assignmentId }, data: { leaseExpiresAt } });
    }
    const json = (content ?? null) as Prisma.InputJsonValue;
    const draft = await tx.draft.upsert({
      where: { assignmentId },
      create: { assignmentId, content: json },
      update: { content: json, revision: { increment: 1 } },
      select: { revision: true, updatedAt: true },
    });
    return { revision: draft.revision, savedAt: draft.updatedAt.toISOString(), leaseExpiresAt: leaseExpiresAt.toISOString() };
  });
}
