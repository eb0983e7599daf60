import type { Db, Queryable, Tx } from '../db.ts';
import { DomainError } from '../errors.ts';
import { requireMemberProject, type MemberProject } from '../projects/membership.ts';
import { expireLeases } from '../queue/claim.ts';
import type { Turn } from '../queue/types.ts';
import type { NextReview, ReviewPasteStats, ReviewTask } from './types.ts';

// Namespace of the per-reviewer advisory lock (pg_advisory_xact_lock(namespace, hashtext(id))).
const REVIEWER_LOCK_NAMESPACE = 727_010;
// Demonstrations found taken on re-check (a claimer committed in between) before giving up for this call.
const MAX_ATTEMPTS = 8;

/**
 * Review slots of a demonstration that are taken: a verdict given through a lease, or a live
 * lease (optionally not counting one assignment, for a late verdict asking about its own slot).
 */
export async function takenReviewSlots(db: Queryable, demonstrationId: string, now: Date, except?: string) {
  return db.assignment.count({
    where: {
      kind: 'REVIEW',
      targetId: demonstrationId,
      ...(except ? { id: { not: except } } : {}),
      OR: [{ status: 'SUBMITTED' }, { status: 'ACTIVE', leaseExpiresAt: { gt: now } }],
    },
  });
}

/**
 * Whether a demonstration still waits for a verdict: submitted, the latest revision (nothing
 * revises it) and no Review yet. Read after the row is locked, so it sees committed verdicts.
 */
export async function awaitsVerdict(db: Queryable, demonstrationId: string): Promise<boolean> {
  const row = await db.demonstration.findUnique({
    where: { id: demonstrationId },
    select: { status: true, _count: { select: { reviews: true, revisions: true } } },
  });
  return !!row && row.status === 'SUBMITTED' && row._count.reviews === 0 && row._count.revisions === 0;
}

/**
 * Hands the reviewer the next demonstration to check in a project: the oldest submitted,
 * unreviewed latest revision that someone else wrote. One transaction: the demonstration row
 * is locked with FOR UPDATE SKIP LOCKED, so concurrent reviewers never wait on each other, and
 * its review slot is checked again after the lock, so no demonstration is handed out twice. A
 * reviewer who holds a live lease gets that same task back.
 */
export async function claimReview(db: Db, reviewerId: string, slug: string, now = new Date()): Promise<NextReview> {
  const project = await requireMemberProject(db, reviewerId, slug);
  const assignmentId = await db.$transaction(async (tx) => {
    // One claim per reviewer at a time: two tabs asking at once get the same task, not two.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${REVIEWER_LOCK_NAMESPACE}::int, hashtext(${reviewerId}))`;
    await expireLeases(tx, now);
    const held = await tx.assignment.findFirst({
      where: { userId: reviewerId, kind: 'REVIEW', status: 'ACTIVE', leaseExpiresAt: { gt: now }, item: { projectId: project.id } },
      orderBy: { claimedAt: 'asc' },
      select: { id: true },
    });
    if (held) return held.id;

    const passedOver: string[] = [''];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const rows = await tx.$queryRaw<{ id: string; itemId: string }[]>`
        SELECT d.id, d."itemId" FROM "Demonstration" d
        JOIN "Item" i ON i.id = d."itemId"
        WHERE i."projectId" = ${project.id}
          AND d.status = 'SUBMITTED'
          AND d."authorId" <> ${reviewerId}
          AND d.id <> ALL(${passedOver})
          AND NOT EXISTS (SELECT 1 FROM "Demonstration" r WHERE r."revisesId" = d.id)
          AND NOT EXISTS (SELECT 1 FROM "Review" v WHERE v."demonstrationId" = d.id)
          AND NOT EXISTS (
            SELECT 1 FROM "Assignment" a
            WHERE a.kind = 'REVIEW' AND a."targetId" = d.id
              AND (a.status = 'SUBMITTED' OR (a.status = 'ACTIVE' AND a."leaseExpiresAt" > ${now})))
        ORDER BY d."createdAt", d.id
        LIMIT 1
        FOR UPDATE OF d SKIP LOCKED`;
      const row = rows[0];
      if (!row) return null;
      // The subqueries above used the statement's snapshot; a claimer or reviewer that
      // committed since then is visible now that the row is locked.
      if (!(await awaitsVerdict(tx, row.id)) || (await takenReviewSlots(tx, row.id, now)) > 0) {
        passedOver.push(row.id);
        continue;
      }
      return (await assignReview(tx, project, reviewerId, row.itemId, row.id, now)).id;
    }
    return null;
  });
  if (!assignmentId) return { status: 'empty' };
  return { status: 'task', task: await loadReviewTask(db, reviewerId, assignmentId) };
}

async function assignReview(tx: Tx, project: MemberProject, reviewerId: string, itemId: string, demonstrationId: string, now: Date) {
  const leaseExpiresAt = new Date(now.getTime() + project.leaseMinutes * 60_000);
  // A reviewer whose own earlier lease on this demonstration expired unused gets the same row back.
  return tx.assignment.upsert({
    where: { itemId_userId_kind_targetId: { itemId, userId: reviewerId, kind: 'REVIEW', targetId: demonstrationId } },
    create: { itemId, userId: reviewerId, kind: 'REVIEW', targetId: demonstrationId, leaseExpiresAt, claimedAt: now },
    update: { status: 'ACTIVE', leaseExpiresAt, claimedAt: now, finishedAt: null },
    select: { id: true },
  });
}

function pasteStatsOf(value: unknown): ReviewPasteStats | null {
  if (typeof value !== 'object' || value === null) return null;
  const stats = value as Partial<Record<keyof ReviewPasteStats, unknown>>;
  if (typeof stats.pastedChars !== 'number') return null;
  return {
    pastedChars: stats.pastedChars,
    pasteEvents: typeof stats.pasteEvents === 'number' ? stats.pasteEvents : 0,
    totalChars: typeof stats.totalChars === 'number' ? stats.totalChars : 0,
  };
}

/** The review task behind one of the reviewer's own assignments; anyone else's is "not found". */
export async function loadReviewTask(db: Db, reviewerId: string, assignmentId: string): Promise<ReviewTask> {
  const assignment = await db.assignment.findFirst({
    where: { id: assignmentId, userId: reviewerId, kind: 'REVIEW' },
    select: {
      id: true,
      targetId: true,
      leaseExpiresAt: true,
      item: { select: { id: true, system: true, messages: true, project: { select: { slug: true, name: true } } } },
    },
  });
  if (!assignment) throw new DomainError('not_found', 'No such review task.', 404);
  const demonstration = await db.demonstration.findUniqueOrThrow({
    where: { id: assignment.targetId },
    select: {
      id: true,
      messages: true,
      isRefusal: true,
      fromAllBad: true,
      pasteStats: true,
      timeSpentMs: true,
      createdAt: true,
      guideline: { select: { id: true, version: true, title: true, body: true } },
    },
  });
  return {
    assignmentId: assignment.id,
    leaseExpiresAt: assignment.leaseExpiresAt.toISOString(),
    project: assignment.item.project,
    item: { id: assignment.item.id, system: assignment.item.system, messages: assignment.item.messages as unknown as Turn[] },
    demonstration: {
      id: demonstration.id,
      messages: demonstration.messages as unknown as Turn[],
      isRefusal: demonstration.isRefusal,
      fromAllBad: demonstration.fromAllBad,
      pasteStats: pasteStatsOf(demonstration.pasteStats),
      timeSpentMs: demonstration.timeSpentMs,
      createdAt: demonstration.createdAt.toISOString(),
    },
    guideline: demonstration.guideline,
  };
}

export interface ReviewProject {
  id: string;
  slug: string;
  name: string;
  status: 'OPEN' | 'PAUSED' | 'CLOSED';
  /** Demonstrations by others waiting for a verdict. */
  backlog: number;
  /** Items with at least one ranking, oldest first (for the rankings pages). */
  rankedItems: { id: string; prompt: string; rankings: number; invalid: number }[];
}

function lastUserTurn(messages: unknown): string {
  const turns = Array.isArray(messages) ? (messages as Turn[]) : [];
  return [...turns].reverse().find((turn) => turn.role === 'user')?.content ?? '';
}

/** The reviewer's home: their projects, each with its backlog and the items that have rankings. */
export async function reviewProjects(db: Db, reviewerId: string, rankedItemsPerProject = 10): Promise<ReviewProject[]> {
  const projects = await db.project.findMany({
    where: { members: { some: { userId: reviewerId } }, status: { not: 'CLOSED' } },
    select: { id: true, slug: true, name: true, status: true },
    orderBy: { createdAt: 'asc' },
  });
  return Promise.all(
    projects.map(async (project) => {
      const [backlog, items] = await Promise.all([
        db.demonstration.count({
          where: {
            item: { projectId: project.id },
            status: 'SUBMITTED',
            authorId: { not: reviewerId },
            reviews: { none: {} },
            revisions: { none: {} },
          },
        }),
        db.item.findMany({
          where: { projectId: project.id, rankings: { some: {} } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: rankedItemsPerProject,
          select: { id: true, messages: true, rankings: { select: { status: true } } },
        }),
      ]);
      return {
        ...project,
        backlog,
        rankedItems: items.map((item) => ({
          id: item.id,
          prompt: lastUserTurn(item.messages),
          rankings: item.rankings.length,
          invalid: item.rankings.filter((r) => r.status === 'INVALID').length,
        })),
      };
    }),
  );
}
