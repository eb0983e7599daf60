import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import type { ITEM_NOTE_KINDS } from './schemas.ts';

/** A labeler's flag on the item they are working on (broken prompt, personal data, …). */
export async function addItemNote(
  db: Db,
  userId: string,
  assignmentId: string,
  input: { kind: (typeof ITEM_NOTE_KINDS)[number]; note: string },
) {
  const assignment = await db.assignment.findFirst({ where: { id: assignmentId, userId }, select: { itemId: true } });
  if (!assignment) throw new DomainError('not_found', 'No such task.', 404);
  const note = await db.itemNote.create({
    data: { itemId: assignment.itemId, userId, kind: input.kind, note: input.note },
    select: { id: true, kind: true, note: true, createdAt: true },
  });
  return note;
}
