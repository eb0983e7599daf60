import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import { acknowledgedVersionId } from '../guidelines/gate.ts';
import { ensureSubmittable, finishAssignment, lockOwnAssignment } from './lease.ts';
import type { DemonstrationInput, RankingInput } from './schemas.ts';
import { validateRanking } from './validate-ranking.ts';

export interface Submitted {
  id: string;
  /** True when this was a retry of a submission already stored (same client key). */
  duplicate: boolean;
}

function demonstrationMessages(input: Pick<DemonstrationInput, 'reply' | 'extraTurns'>) {
  return [
    { role: 'assistant', content: input.reply },
    ...input.extraTurns.flatMap((turn) => [
      { role: 'user', content: turn.user },
      { role: 'assistant', content: turn.assistant },
    ]),
  ];
}

/** The earlier submission with this client key, if it was made for this very assignment. */
async function priorSubmission(
  find: (clientKey: string) => Promise<{ id: string; assignmentId: string | null } | null>,
  clientKey: string,
  assignmentId: string,
): Promise<Submitted | null> {
  const prior = await find(clientKey);
  if (!prior) return null;
  if (prior.assignmentId !== assignmentId) {
    throw new DomainError('duplicate_key', 'This submission key was already used for another task.', 409, 'clientKey');
  }
  return { id: prior.id, duplicate: true };
}

/** Stores the labeler's ideal reply; idempotent on the client key, atomic with the lease. */
export async function submitDemonstration(
  db: Db,
  userId: string,
  assignmentId: string,
  input: DemonstrationInput,
  now = new Date(),
): Promise<Submitted> {
  return db.$transaction(async (tx) => {
    const assignment = await lockOwnAssignment(tx, userId, assignmentId, 'DEMONSTRATION');
    const prior = await priorSubmission(
      (clientKey) => tx.demonstration.findUnique({ where: { clientKey }, select: { id: true, assignmentId: true } }),
      input.clientKey,
      assignmentId,
    );
    if (prior) return prior;
    await ensureSubmittable(tx, assignment, 'DEMONSTRATION', now);
    const messages = demonstrationMessages(input);
    const created = await tx.demonstration.create({
      data: {
        itemId: assignment.itemId,
        assignmentId,
        authorId: userId,
        messages,
        isRefusal: input.isRefusal,
        guidelineId: await acknowledgedVersionId(tx, userId, assignment.projectId),
        clientKey: input.clientKey,
        pasteStats: { ...input.paste, totalChars: messages.reduce((n, m) => n + m.content.length, 0) },
        timeSpentMs: input.timeSpentMs,
      },
      select: { id: true },
    });
    await finishAssignment(tx, assignmentId, now);
    return { id: created.id, duplicate: false };
  });
}

/**
 * Stores a ranking as tiers of the candidates the labeler was shown. With "all bad", the
 * labeler's own reply is stored too, as a demonstration marked fromAllBad.
 */
export async function submitRanking(
  db: Db,
  userId: string,
  assignmentId: string,
  input: RankingInput,
  now = new Date(),
): Promise<Submitted> {
  return db.$transaction(async (tx) => {
    const assignment = await lockOwnAssignment(tx, userId, assignmentId, 'RANKING');
    const prior = await priorSubmission(
      (clientKey) => tx.ranking.findUnique({ where: { clientKey }, select: { id: true, assignmentId: true } }),
      input.clientKey,
      assignmentId,
    );
    if (prior) return prior;
    await ensureSubmittable(tx, assignment, 'RANKING', now);
    validateRanking(input, assignment.candidateOrder);

    const guidelineId = await acknowledgedVersionId(tx, userId, assignment.projectId);
    const flags = Object.fromEntries(Object.entries(input.flags).filter(([, list]) => list.length > 0));
    const created = await tx.ranking.create({
      data: {
        itemId: assignment.itemId,
        assignmentId,
        authorId: userId,
        tiers: input.tiers,
        ratings: input.ratings,
        flags,
        rationale: input.rationale,
        allBad: Boolean(input.allBad),
        guidelineId,
        clientKey: input.clientKey,
        timeSpentMs: input.timeSpentMs,
      },
      select: { id: true },
    });
    if (input.allBad) {
      await tx.demonstration.create({
        data: {
          itemId: assignment.itemId,
          assignmentId,
          authorId: userId,
          messages: demonstrationMessages({ reply: input.allBad.reply, extraTurns: [] }),
          isRefusal: input.allBad.isRefusal,
          fromAllBad: true,
          guidelineId,
          pasteStats: { ...input.allBad.paste, totalChars: input.allBad.reply.length },
          timeSpentMs: input.timeSpentMs,
        },
      });
    }
    await finishAssignment(tx, assignmentId, now);
    return { id: created.id, duplicate: false };
  });
}
