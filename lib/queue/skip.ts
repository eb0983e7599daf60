import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';

/** Gives the slot back to the pool; the item is not offered to this user again for this kind. */
export async function skipTask(db: Db, userId: string, assignmentId: string, reason: string, now = new Date()) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.assignment.updateMany({
      where: { id: assignmentId, userId, status: { in: ['ACTIVE', 'EXPIRED'] }, kind: { in: ['DEMONSTRATION', 'RANKING'] } },
      data: { status: 'SKIPPED', skipReason: reason, finishedAt: now },
    });
    if (count === 0) throw new DomainError('no_lease', 'You hold no open lease on this task.', 409);
    await tx.draft.deleteMany({ where: { assignmentId } });
    return { skipped: true };
  });
}
