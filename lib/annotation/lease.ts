import type { Tx } from '../db.ts';
import { DomainError } from '../errors.ts';
import { quotaFor, takenSlots } from '../queue/claim.ts';
import type { LabelKind } from '../queue/types.ts';

export interface LockedAssignment {
  id: string;
  itemId: string;
  projectId: string;
  status: 'ACTIVE' | 'SUBMITTED' | 'SKIPPED' | 'EXPIRED';
  leaseExpiresAt: Date;
  candidateOrder: string[];
}

/**
 * Locks the user's own assignment row for the rest of the transaction, so that concurrent
 * submits of one task run one after the other. Someone else's assignment is "no lease".
 */
export async function lockOwnAssignment(tx: Tx, userId: string, assignmentId: string, kind: LabelKind): Promise<LockedAssignment> {
  const rows = await tx.$queryRaw<(Omit<LockedAssignment, 'projectId' | 'candidateOrder'> & { candidateOrder: unknown })[]>`
    SELECT id, "itemId", status::text AS status, "leaseExpiresAt", "candidateOrder"
    FROM "Assignment"
    WHERE id = ${assignmentId} AND "userId" = ${userId} AND kind = ${kind}::"TaskKind"
    FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new DomainError('no_lease', 'You hold no lease on this task.', 409);
  const item = await tx.item.findUniqueOrThrow({ where: { id: row.itemId }, select: { projectId: true } });
  return { ...row, projectId: item.projectId, candidateOrder: (row.candidateOrder as string[] | null) ?? [] };
}

/**
 * Whether a new submission may be stored against this assignment. A live lease may submit; a
 * lease that ran out may still submit while its slot is free; anything else is refused plainly.
 */
export async function ensureSubmittable(tx: Tx, assignment: LockedAssignment, kind: LabelKind, now: Date): Promise<void> {
  if (assignment.status === 'SKIPPED') throw new DomainError('skipped', 'You skipped this task.', 409);
  if (assignment.status === 'SUBMITTED') {
    throw new DomainError('already_submitted', 'This task was already submitted.', 409);
  }
  if (assignment.status === 'ACTIVE' && assignment.leaseExpiresAt > now) return;
  // Lock the item as claimers do, so that a late submit and a new claim cannot both take the
  // slot that the expired lease left free.
  await tx.$queryRaw`SELECT id FROM "Item" WHERE id = ${assignment.itemId} FOR UPDATE`;
  const project = await tx.project.findUniqueOrThrow({ where: { id: assignment.projectId } });
  const taken = await takenSlots(tx, assignment.itemId, kind, now, assignment.id);
  if (taken >= quotaFor(project, kind)) {
    throw new DomainError(
      'slot_taken',
      'Your lease on this task ran out and another labeler took the slot. Your draft is kept: copy it before moving on.',
      409,
    );
  }
}

export async function finishAssignment(tx: Tx, assignmentId: string, now: Date): Promise<void> {
  await tx.assignment.update({ where: { id: assignmentId }, data: { status: 'SUBMITTED', finishedAt: now } });
  await tx.draft.deleteMany({ where: { assignmentId } });
}
