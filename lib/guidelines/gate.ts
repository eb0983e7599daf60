import type { Db, Queryable } from '../db.ts';
import { recordAudit } from '../audit.ts';
import { DomainError } from '../errors.ts';
import { guidelineDiff, type DiffLine } from './diff.ts';
import { highestPublishedVersion, lockProjectGuidelines, moveDraftAbove } from './versions.ts';

export interface GuidelineView {
  id: string;
  version: number;
  title: string;
  body: string;
  publishedAt: Date;
}

export type GuidelineGate =
  | { status: 'none' }
  | { status: 'acknowledged'; guideline: GuidelineView }
  | { status: 'needs_ack'; guideline: GuidelineView; previous: { version: number; diff: DiffLine[] } | null };

const view = { id: true, version: true, title: true, body: true, publishedAt: true } as const;

export async function latestPublished(db: Queryable, projectId: string): Promise<GuidelineView | null> {
  const row = await db.guideline.findFirst({
    where: { projectId, publishedAt: { not: null } },
    orderBy: { version: 'desc' },
    select: view,
  });
  return row as GuidelineView | null;
}

/**
 * Whether the user may work in the project: they must have acknowledged its latest published
 * guideline. When they acknowledged an older version, the answer carries what changed since.
 */
export async function guidelineGate(db: Db, userId: string, projectId: string): Promise<GuidelineGate> {
  const latest = await latestPublished(db, projectId);
  if (!latest) return { status: 'none' };
  const lastAck = await db.guidelineAck.findFirst({
    where: { userId, guideline: { projectId, publishedAt: { not: null } } },
    orderBy: { guideline: { version: 'desc' } },
    select: { guideline: { select: view } },
  });
  if (lastAck?.guideline.id === latest.id) return { status: 'acknowledged', guideline: latest };
  const previous = lastAck
    ? { version: lastAck.guideline.version, diff: guidelineDiff(lastAck.guideline.body, latest.body) }
    : null;
  return { status: 'needs_ack', guideline: latest, previous };
}

/** Records that the user read this version; only the project's latest published one can be acknowledged. */
export async function acknowledgeGuideline(db: Db, userId: string, projectId: string, guidelineId: string) {
  const latest = await latestPublished(db, projectId);
  if (!latest || latest.id !== guidelineId) {
    throw new DomainError('stale_guideline', 'A newer guideline version has been published; read that one first.', 409);
  }
  await db.guidelineAck.upsert({
    where: { userId_guidelineId: { userId, guidelineId } },
    update: {},
    create: { userId, guidelineId },
  });
  return { version: latest.version };
}

/** The guideline version a submission is made under: the newest one this user acknowledged. */
export async function acknowledgedVersionId(db: Queryable, userId: string, projectId: string): Promise<string | null> {
  const ack = await db.guidelineAck.findFirst({
    where: { userId, guideline: { projectId, publishedAt: { not: null } } },
    orderBy: { guideline: { version: 'desc' } },
    select: { guidelineId: true },
  });
  return ack?.guidelineId ?? null;
}

/**
 * Publishes the given text as a new immutable version (the next number after the highest
 * published one) and records it in the audit log. A draft the project may have stays a draft
 * and moves to the number after this one (see versions.ts).
 */
export async function publishGuideline(
  db: Db,
  input: { projectId: string; authorId: string; title: string; body: string },
): Promise<GuidelineView> {
  return db.$transaction(async (tx) => {
    // Serialise publishers of one project so that version numbers never collide.
    await lockProjectGuidelines(tx, input.projectId);
    const version = (await highestPublishedVersion(tx, input.projectId)) + 1;
    await moveDraftAbove(tx, input.projectId, version);
    const created = await tx.guideline.create({
      data: {
        projectId: input.projectId,
        authorId: input.authorId,
        title: input.title,
        body: input.body,
        version,
        publishedAt: new Date(),
      },
      select: view,
    });
    await recordAudit(tx, {
      actorId: input.authorId,
      action: 'guideline.publish',
      entityType: 'Guideline',
      entityId: created.id,
      after: { version: created.version, title: created.title },
    });
    return created as GuidelineView;
  });
}
