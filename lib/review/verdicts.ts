import crypto from 'node:crypto';
import { recordAudit } from '../audit.ts';
import type { Db, Tx } from '../db.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { awaitsVerdict, takenReviewSlots } from './queue.ts';
import { verdictInput, type ApproveInput, type RejectInput, type ReviseInput, type VerdictInput } from './schemas.ts';
import type { VerdictResult } from './types.ts';

interface LockedReview {
  id: string;
  itemId: string;
  targetId: string;
  status: 'ACTIVE' | 'SUBMITTED' | 'SKIPPED' | 'EXPIRED';
  leaseExpiresAt: Date;
}

/**
 * The Review row's id for a reviewer's client key. A retry with the same key finds the same
 * row, and the primary key guarantees one row per key even if two requests race; keys are
 * scoped to the reviewer, so nobody can collide with someone else's key.
 */
export function reviewIdFor(reviewerId: string, clientKey: string): string {
  return `rv${crypto.createHash('sha256').update(`${reviewerId}\n${clientKey}`).digest('hex').slice(0, 30)}`;
}

/** Locks the reviewer's own REVIEW assignment for the rest of the transaction; anyone else's is "no lease". */
async function lockOwnReview(tx: Tx, reviewerId: string, assignmentId: string): Promise<LockedReview> {
  const rows = await tx.$queryRaw<LockedReview[]>`
    SELECT id, "itemId", "targetId", status::text AS status, "leaseExpiresAt"
    FROM "Assignment"
    WHERE id = ${assignmentId} AND "userId" = ${reviewerId} AND kind = 'REVIEW'::"TaskKind"
    FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new DomainError('no_lease', 'You hold no lease on this review.', 409);
  return row;
}

/**
 * Whether a verdict may be given through this assignment. A live lease may; a lease that ran
 * out may while nobody else took the demonstration; the demonstration must still await a
 * verdict (its row is locked here, as claimers lock it).
 */
async function ensureReviewable(tx: Tx, assignment: LockedReview, now: Date): Promise<void> {
  if (assignment.status === 'SUBMITTED') throw new DomainError('already_reviewed', 'You already gave a verdict on this reply.', 409);
  if (assignment.status === 'SKIPPED') throw new DomainError('skipped', 'You skipped this review.', 409);
  await tx.$queryRaw`SELECT id FROM "Demonstration" WHERE id = ${assignment.targetId} FOR UPDATE`;
  const live = assignment.status === 'ACTIVE' && assignment.leaseExpiresAt > now;
  if (!live && (await takenReviewSlots(tx, assignment.targetId, now, assignment.id)) > 0) {
    throw new DomainError('slot_taken', 'Your lease on this review ran out and another reviewer took it.', 409);
  }
  if (!(await awaitsVerdict(tx, assignment.targetId))) {
    throw new DomainError('already_reviewed', 'This reply already has a verdict.', 409);
  }
}

async function priorVerdict(tx: Tx, reviewId: string, assignment: LockedReview): Promise<VerdictResult | null> {
  const prior = await tx.review.findUnique({ where: { id: reviewId }, select: { id: true, verdict: true, demonstrationId: true } });
  if (!prior) return null;
  if (prior.demonstrationId !== assignment.targetId) {
    throw new DomainError('duplicate_key', 'This verdict key was already used for another review.', 409, 'clientKey');
  }
  const revision =
    prior.verdict === 'REVISE'
      ? await tx.demonstration.findFirst({ where: { revisesId: prior.demonstrationId }, select: { id: true }, orderBy: { createdAt: 'desc' } })
      : null;
  return {
    id: prior.id,
    verdict: prior.verdict as VerdictResult['verdict'],
    demonstrationId: prior.demonstrationId,
    revisionId: revision?.id ?? null,
    duplicate: true,
  };
}

/**
 * Runs one verdict: the lease locked, a retry with the same client key answered with the
 * stored verdict, the demonstration's status changed (the only field of a submitted row that
 * ever changes), a Review row, the assignment finished and an audit row, all or nothing.
 */
async function giveVerdict(
  db: Db,
  reviewerId: string,
  assignmentId: string,
  clientKey: string,
  now: Date,
  apply: (tx: Tx, target: { id: string; itemId: string }, reviewId: string) => Promise<{ revisionId: string | null; verdict: VerdictResult['verdict']; status: 'APPROVED' | 'REJECTED' | 'REVISED'; comment: string }>,
): Promise<VerdictResult> {
  return db.$transaction(async (tx) => {
    const assignment = await lockOwnReview(tx, reviewerId, assignmentId);
    const reviewId = reviewIdFor(reviewerId, clientKey);
    const prior = await priorVerdict(tx, reviewId, assignment);
    if (prior) return prior;
    await ensureReviewable(tx, assignment, now);
    const target = { id: assignment.targetId, itemId: assignment.itemId };
    const outcome = await apply(tx, target, reviewId);
    await tx.demonstration.update({ where: { id: target.id }, data: { status: outcome.status } });
    await tx.assignment.update({ where: { id: assignmentId }, data: { status: 'SUBMITTED', finishedAt: now } });
    await recordAudit(tx, {
      actorId: reviewerId,
      action: `review.${outcome.verdict.toLowerCase()}`,
      entityType: 'Demonstration',
      entityId: target.id,
      before: { status: 'SUBMITTED' },
      after: {
        status: outcome.status,
        reviewId,
        comment: outcome.comment,
        ...(outcome.revisionId ? { revisionId: outcome.revisionId } : {}),
      },
    });
    return { id: reviewId, verdict: outcome.verdict, demonstrationId: target.id, revisionId: outcome.revisionId, duplicate: false };
  });
}

export async function approveDemonstration(db: Db, reviewerId: string, assignmentId: string, input: Omit<ApproveInput, 'verdict'>, now = new Date()) {
  return giveVerdict(db, reviewerId, assignmentId, input.clientKey, now, async (tx, target, reviewId) => {
    await tx.review.create({ data: { id: reviewId, reviewerId, demonstrationId: target.id, verdict: 'APPROVE', comment: input.comment, createdAt: now } });
    return { verdict: 'APPROVE', status: 'APPROVED', revisionId: null, comment: input.comment };
  });
}

export async function rejectDemonstration(db: Db, reviewerId: string, assignmentId: string, input: Omit<RejectInput, 'verdict'>, now = new Date()) {
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('invalid_input', 'reason: say why you reject this reply', 400, 'reason');
  return giveVerdict(db, reviewerId, assignmentId, input.clientKey, now, async (tx, target, reviewId) => {
    await tx.review.create({ data: { id: reviewId, reviewerId, demonstrationId: target.id, verdict: 'REJECT', comment: reason, createdAt: now } });
    return { verdict: 'REJECT', status: 'REJECTED', revisionId: null, comment: reason };
  });
}

/**
 * The reviewer's corrected reply becomes a NEW demonstration that points at the original
 * (revisesId), written by the reviewer and approved; the original keeps its content and is
 * marked REVISED. The Review row keeps the edited content too.
 */
export async function reviseDemonstration(db: Db, reviewerId: string, assignmentId: string, input: Omit<ReviseInput, 'verdict'>, now = new Date()) {
  return giveVerdict(db, reviewerId, assignmentId, input.clientKey, now, async (tx, target, reviewId) => {
    const original = await tx.demonstration.findUniqueOrThrow({
      where: { id: target.id },
      select: { itemId: true, messages: true, isRefusal: true, guidelineId: true },
    });
    const messages = input.messages.map((turn) => ({ role: turn.role, content: turn.content }));
    if (JSON.stringify(messages) === JSON.stringify(original.messages) && input.isRefusal === original.isRefusal) {
      throw new DomainError('unchanged', 'messages: the edited reply is the same as the original; approve it instead', 400, 'messages');
    }
    const revision = await tx.demonstration.create({
      data: {
        itemId: original.itemId,
        authorId: reviewerId,
        messages,
        isRefusal: input.isRefusal,
        guidelineId: original.guidelineId,
        status: 'APPROVED',
        revisesId: target.id,
        pasteStats: {},
        createdAt: now,
      },
      select: { id: true },
    });
    await tx.review.create({
      data: { id: reviewId, reviewerId, demonstrationId: target.id, verdict: 'REVISE', comment: input.comment, editedContent: messages, createdAt: now },
    });
    return { verdict: 'REVISE', status: 'REVISED', revisionId: revision.id, comment: input.comment };
  });
}

/** Any of the three verdicts, checked against the schema (for callers that did not parse it). */
export async function submitVerdict(db: Db, reviewerId: string, assignmentId: string, input: VerdictInput, now = new Date()): Promise<VerdictResult> {
  const parsed = verdictInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const verdict = parsed.data;
  switch (verdict.verdict) {
    case 'APPROVE':
      return approveDemonstration(db, reviewerId, assignmentId, verdict, now);
    case 'REJECT':
      return rejectDemonstration(db, reviewerId, assignmentId, verdict, now);
    case 'REVISE':
      return reviseDemonstration(db, reviewerId, assignmentId, verdict, now);
  }
}
