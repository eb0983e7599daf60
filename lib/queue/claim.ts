import crypto from 'node:crypto';
import type { Db, Queryable, Tx } from '../db.ts';
import { guidelineGate } from '../guidelines/gate.ts';
import { requireMemberProject, type MemberProject } from '../projects/membership.ts';
import { loadTask } from './task.ts';
import type { LabelKind, NextTask } from './types.ts';

// Candidates an item is ranked with at most, whatever the project setting says.
export const MAX_CANDIDATES = 9;
// Items found full on re-check (a claimer committed in between) before giving up for this call.
const MAX_ATTEMPTS = 8;

export function quotaFor(project: Pick<MemberProject, 'demonstrationsPerItem' | 'rankingsPerItem'>, kind: LabelKind) {
  return kind === 'DEMONSTRATION' ? project.demonstrationsPerItem : project.rankingsPerItem;
}

/** Marks leases that ran out as EXPIRED, which returns their slots to the pool. */
export async function expireLeases(db: Queryable, now = new Date()): Promise<number> {
  const { count } = await db.assignment.updateMany({
    where: { status: 'ACTIVE', leaseExpiresAt: { lte: now } },
    data: { status: 'EXPIRED' },
  });
  return count;
}

/**
 * Slots of an item taken for a kind: submitted work plus live leases (optionally not counting
 * one assignment, for a late submit that asks whether its own slot is still free).
 */
export async function takenSlots(db: Queryable, itemId: string, kind: LabelKind, now: Date, except?: string) {
  return db.assignment.count({
    where: {
      itemId,
      kind,
      targetId: '',
      ...(except ? { id: { not: except } } : {}),
      OR: [{ status: 'SUBMITTED' }, { status: 'ACTIVE', leaseExpiresAt: { gt: now } }],
    },
  });
}

/**
 * Hands the user their next task of a kind in a project. One transaction: an item row is
 * locked with FOR UPDATE SKIP LOCKED so concurrent claimers never wait on each other, and its
 * free slots are counted again after the lock, so a quota is never overfilled. A user who
 * already holds a live lease gets that same task back (a reload never burns work).
 */
export async function claimNext(db: Db, userId: string, slug: string, kind: LabelKind, now = new Date()): Promise<NextTask> {
  const project = await requireMemberProject(db, userId, slug);
  if (project.status !== 'OPEN') return { status: 'paused' };
  const gate = await guidelineGate(db, userId, project.id);
  if (gate.status === 'needs_ack') return gate;

  const assignmentId = await db.$transaction(async (tx) => {
    // One claim per user at a time: two tabs asking at once must get the same task, not two.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`claim:${userId}:${kind}`}))`;
    await expireLeases(tx, now);
    const held = await tx.assignment.findFirst({
      where: { userId, kind, targetId: '', status: 'ACTIVE', leaseExpiresAt: { gt: now }, item: { projectId: project.id } },
      select: { id: true },
    });
    if (held) return held.id;

    const quota = quotaFor(project, kind);
    const minCandidates = kind === 'RANKING' ? 2 : 0;
    const passedOver: string[] = [''];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT i.id FROM "Item" i
        WHERE i."projectId" = ${project.id}
          -- Finished items drop out on a column of their own row, before any counting below.
          AND (CASE WHEN ${kind} = 'RANKING' THEN i."submittedRankings" ELSE i."submittedDemonstrations" END) < ${quota}
          AND i.id <> ALL(${passedOver})
          AND NOT EXISTS (
            SELECT 1 FROM "Assignment" mine
            WHERE mine."itemId" = i.id AND mine."userId" = ${userId}
              AND mine.kind = ${kind}::"TaskKind" AND mine."targetId" = ''
              AND mine.status <> 'EXPIRED')
          AND (SELECT count(*) FROM "Assignment" a
               WHERE a."itemId" = i.id AND a.kind = ${kind}::"TaskKind" AND a."targetId" = ''
                 AND (a.status = 'SUBMITTED' OR (a.status = 'ACTIVE' AND a."leaseExpiresAt" > ${now}))) < ${quota}
          AND (SELECT count(*) FROM "Candidate" c WHERE c."itemId" = i.id) >= ${minCandidates}
        ORDER BY i."createdAt", i.id
        LIMIT 1
        FOR UPDATE OF i SKIP LOCKED`;
      const itemId = rows[0]?.id;
      if (!itemId) return null;
      // The count above used the statement's snapshot; a claimer that committed since then is
      // visible now that the row is locked.
      if ((await takenSlots(tx, itemId, kind, now)) >= quota) {
        passedOver.push(itemId);
        continue;
      }
      return (await assign(tx, project, userId, itemId, kind, now)).id;
    }
    return null;
  });
  if (!assignmentId) return { status: 'empty' };
  return { status: 'task', task: await loadTask(db, userId, assignmentId) };
}

async function assign(tx: Tx, project: MemberProject, userId: string, itemId: string, kind: LabelKind, now: Date) {
  const leaseExpiresAt = new Date(now.getTime() + project.leaseMinutes * 60_000);
  const candidateOrder = kind === 'RANKING' ? await shuffledCandidates(tx, itemId, project.candidatesPerRanking) : undefined;
  // A user whose own earlier lease on this item expired unused gets the same row back.
  return tx.assignment.upsert({
    where: { itemId_userId_kind_targetId: { itemId, userId, kind, targetId: '' } },
    create: { itemId, userId, kind, leaseExpiresAt, candidateOrder },
    update: { status: 'ACTIVE', leaseExpiresAt, claimedAt: now, finishedAt: null, candidateOrder },
    select: { id: true },
  });
}

/** A random order per labeler, so that position never hints at the source model. */
async function shuffledCandidates(tx: Tx, itemId: string, perRanking: number): Promise<string[]> {
  const ids = (await tx.candidate.findMany({ where: { itemId }, select: { id: true } })).map((c) => c.id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, Math.min(Math.max(perRanking, 2), MAX_CANDIDATES));
}
