import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import type { LabelKind, Task, Turn } from './types.ts';

/** The task behind one of the user's own assignments; another user's assignment is "not found". */
export async function loadTask(db: Db, userId: string, assignmentId: string): Promise<Task> {
  const assignment = await db.assignment.findFirst({
    where: { id: assignmentId, userId, kind: { in: ['DEMONSTRATION', 'RANKING'] } },
    select: {
      id: true,
      kind: true,
      leaseExpiresAt: true,
      candidateOrder: true,
      draft: { select: { content: true, revision: true, updatedAt: true } },
      item: {
        select: {
          id: true,
          system: true,
          messages: true,
          project: { select: { slug: true, name: true, instructions: true } },
          candidates: { select: { id: true, content: true } },
        },
      },
    },
  });
  if (!assignment) throw new DomainError('not_found', 'No such task.', 404);
  const order = (assignment.candidateOrder as string[] | null) ?? [];
  const byId = new Map(assignment.item.candidates.map((c) => [c.id, c]));
  return {
    assignmentId: assignment.id,
    kind: assignment.kind as LabelKind,
    leaseExpiresAt: assignment.leaseExpiresAt.toISOString(),
    project: assignment.item.project,
    item: {
      id: assignment.item.id,
      system: assignment.item.system,
      messages: assignment.item.messages as unknown as Turn[],
    },
    candidates: order.flatMap((id) => {
      const candidate = byId.get(id);
      return candidate ? [{ id: candidate.id, content: candidate.content }] : [];
    }),
    draft: assignment.draft
      ? { content: assignment.draft.content, revision: assignment.draft.revision, updatedAt: assignment.draft.updatedAt.toISOString() }
      : null,
  };
}
