import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { myWork } from '../../lib/annotation/my-work.ts';
import type { Db } from '../../lib/db.ts';
import { DomainError } from '../../lib/errors.ts';
import { claimReview, reviewProjects } from '../../lib/review/queue.ts';
import { invalidateRanking, itemRankings } from '../../lib/review/rankings.ts';
import { verdictInput } from '../../lib/review/schemas.ts';
import type { NextReview, ReviewTask } from '../../lib/review/types.ts';
import { approveDemonstration, rejectDemonstration, reviseDemonstration, submitVerdict } from '../../lib/review/verdicts.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

const T0 = new Date('2031-03-04T09:00:00.000Z');
const minutesAfter = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);
const key = () => crypto.randomUUID();

interface Demo {
  projectId: string;
  reviewer: { id: string };
  admin: { id: string };
  labeler: { id: string };
}

async function demo(db: Db): Promise<Demo> {
  await seedDemo(db);
  const byEmail = (email: string) => db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const project = await db.project.findUniqueOrThrow({ where: { slug: 'demo' } });
  return {
    projectId: project.id,
    reviewer: await byEmail('reviewer@feedloop.local'),
    admin: await byEmail('admin@feedloop.local'),
    labeler: await byEmail('labeler@feedloop.local'),
  };
}

function taskOf(next: NextReview): ReviewTask {
  if (next.status !== 'task') throw new Error(`expected a task, got ${next.status}`);
  return next.task;
}

async function expectDomainError(promise: Promise<unknown>, status: number, code?: string): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).status).toBe(status);
  if (code) expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

/** Every column of a demonstration but its status, to show that a verdict changed nothing else. */
async function contentOf(db: Db, id: string) {
  const { status: _status, ...rest } = await db.demonstration.findUniqueOrThrow({ where: { id } });
  return rest;
}

describe('the reviewer queue', () => {
  let t: TestDatabase;
  let d: Demo;
  beforeEach(async () => {
    t = await freshDatabase();
    d = await demo(t.db);
  });
  afterEach(async () => t.close());

  it('hands the oldest submitted demonstration with its conversation, paste statistics and guideline version', async () => {
    const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    const oldest = await t.db.demonstration.findFirstOrThrow({ where: { status: 'SUBMITTED' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(task.demonstration.id).toBe(oldest.id);
    expect(task.item.messages.at(-1)?.role).toBe('user');
    expect(task.demonstration.messages[0]?.role).toBe('assistant');
    expect(task.guideline).toMatchObject({ version: 1, title: 'Helpful, truthful, harmless' });
    expect(task.guideline?.body).toContain('Harmless');
    expect(task.leaseExpiresAt).toBe(minutesAfter(T0, 30).toISOString());

    const assignment = await t.db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } });
    expect(assignment).toMatchObject({ kind: 'REVIEW', targetId: oldest.id, userId: d.reviewer.id, status: 'ACTIVE' });
  });

  it('shows the reviewer the backlog of their projects', async () => {
    const [project] = await reviewProjects(t.db, d.reviewer.id);
    expect(project).toMatchObject({ slug: 'demo', backlog: 4 });
    expect(project!.rankedItems.length).toBeGreaterThan(0);
  });

  it('never hands one demonstration twice to 10 concurrent claims by 2 reviewers', async () => {
    const reviewers = [d.reviewer.id, d.admin.id];
    const reviewed: string[] = [];
    for (let round = 0; round < 4; round++) {
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => claimReview(t.db, reviewers[i % 2]!, 'demo', T0).then((next) => ({ reviewer: reviewers[i % 2]!, next }))),
      );
      const held = new Map<string, Set<string>>();
      for (const { reviewer, next } of claims) {
        if (next.status !== 'task') continue;
        held.set(reviewer, (held.get(reviewer) ?? new Set()).add(next.task.demonstration.id));
      }
      // Each reviewer holds one task, the same in all their claims; no two reviewers hold the same one.
      const perReviewer = [...held.values()];
      for (const set of perReviewer) expect(set.size).toBe(1);
      const all = perReviewer.map((set) => [...set][0]!);
      expect(new Set(all).size).toBe(all.length);
      if (all.length === 0) break;
      for (const { reviewer, next } of claims.filter((c, i, list) => c.next.status === 'task' && list.findIndex((o) => o.reviewer === c.reviewer) === i)) {
        const task = taskOf(next);
        await approveDemonstration(t.db, reviewer, task.assignmentId, { clientKey: key(), comment: '' }, T0);
        reviewed.push(task.demonstration.id);
      }
    }
    expect(new Set(reviewed).size).toBe(reviewed.length);
    expect(reviewed).toHaveLength(4);
    expect(await claimReview(t.db, d.reviewer.id, 'demo', T0)).toEqual({ status: 'empty' });
    expect(await t.db.review.count()).toBe(4);
  });

  it('never hands a reviewer their own demonstration', async () => {
    // The reviewer wrote a reply of their own, older than every other one.
    const item = await t.db.item.findFirstOrThrow({ where: { projectId: d.projectId, externalId: 'demo-002' } });
    const own = await t.db.demonstration.create({
      data: { itemId: item.id, authorId: d.reviewer.id, messages: [{ role: 'assistant', content: 'Mine.' }], createdAt: new Date(0) },
    });
    for (let i = 0; i < 4; i++) {
      const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
      expect(task.demonstration.id).not.toBe(own.id);
      await approveDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey: key(), comment: '' }, T0);
    }
    expect(await claimReview(t.db, d.reviewer.id, 'demo', T0)).toEqual({ status: 'empty' });
    expect((await t.db.demonstration.findUniqueOrThrow({ where: { id: own.id } })).status).toBe('SUBMITTED');
    // Someone else gets it.
    expect(taskOf(await claimReview(t.db, d.admin.id, 'demo', T0)).demonstration.id).toBe(own.id);
  });

  it('returns the held task on a re-request, and returns an expired lease to the pool', async () => {
    const first = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    const again = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', minutesAfter(T0, 5)));
    expect(again.assignmentId).toBe(first.assignmentId);
    expect(again.demonstration.id).toBe(first.demonstration.id);

    // Another reviewer does not get it while the lease lives…
    const other = taskOf(await claimReview(t.db, d.admin.id, 'demo', minutesAfter(T0, 5)));
    expect(other.demonstration.id).not.toBe(first.demonstration.id);
    await approveDemonstration(t.db, d.admin.id, other.assignmentId, { clientKey: key(), comment: '' }, minutesAfter(T0, 6));
    // …and gets it once the lease has run out.
    const later = taskOf(await claimReview(t.db, d.admin.id, 'demo', minutesAfter(T0, 31)));
    expect(later.demonstration.id).toBe(first.demonstration.id);
    expect((await t.db.assignment.findUniqueOrThrow({ where: { id: first.assignmentId } })).status).toBe('EXPIRED');
    // The expired lease may no longer give a verdict: someone else holds the demonstration now.
    await expectDomainError(
      approveDemonstration(t.db, d.reviewer.id, first.assignmentId, { clientKey: key(), comment: '' }, minutesAfter(T0, 32)),
      409,
      'slot_taken',
    );
  });

  it('does not offer a demonstration that already has a verdict', async () => {
    const demonstration = await t.db.demonstration.findFirstOrThrow({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    await t.db.review.create({ data: { reviewerId: d.admin.id, demonstrationId: demonstration.id, verdict: 'APPROVE' } });
    const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    expect(task.demonstration.id).not.toBe(demonstration.id);
  });

  it('refuses a non-member', async () => {
    const stranger = await t.db.user.create({ data: { email: 's@x.test', name: 'S', passwordHash: 'x', role: 'REVIEWER' } });
    await expectDomainError(claimReview(t.db, stranger.id, 'demo', T0), 403, 'not_a_member');
  });
});

describe('verdicts', () => {
  let t: TestDatabase;
  let d: Demo;
  beforeEach(async () => {
    t = await freshDatabase();
    d = await demo(t.db);
  });
  afterEach(async () => t.close());

  it('approve: the demonstration is APPROVED, a Review row and an audit row, nothing else changed', async () => {
    const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    const before = await contentOf(t.db, task.demonstration.id);
    const result = await approveDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey: key(), comment: 'Good.' }, T0);
    expect(result).toMatchObject({ verdict: 'APPROVE', demonstrationId: task.demonstration.id, revisionId: null, duplicate: false });
    expect((await t.db.demonstration.findUniqueOrThrow({ where: { id: task.demonstration.id } })).status).toBe('APPROVED');
    expect(await contentOf(t.db, task.demonstration.id)).toEqual(before);
    expect(await t.db.review.findMany({ where: { demonstrationId: task.demonstration.id } })).toMatchObject([
      { id: result.id, reviewerId: d.reviewer.id, verdict: 'APPROVE', comment: 'Good.', editedContent: null },
    ]);
    expect((await t.db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).status).toBe('SUBMITTED');
    expect(await t.db.auditLog.findMany({ where: { action: 'review.approve' } })).toMatchObject([
      { actorId: d.reviewer.id, entityType: 'Demonstration', entityId: task.demonstration.id, before: { status: 'SUBMITTED' } },
    ]);
    // The next claim moves on.
    const next = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    expect(next.demonstration.id).not.toBe(task.demonstration.id);
  });

  it('reject: requires a reason (400 naming the field), then stores it', async () => {
    const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    const error = await expectDomainError(rejectDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey: key(), reason: '   ' }, T0), 400);
    expect(error.field).toBe('reason');
    const parsed = verdictInput.safeParse({ verdict: 'REJECT', clientKey: key() });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['reason']);
    const viaSchema = await expectDomainError(
      submitVerdict(t.db, d.reviewer.id, task.assignmentId, { verdict: 'REJECT', clientKey: key(), reason: '' }, T0),
      400,
      'invalid_input',
    );
    expect(viaSchema.field).toBe('reason');
    expect(await t.db.review.count()).toBe(0);

    const before = await contentOf(t.db, task.demonstration.id);
    await rejectDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey: key(), reason: 'States a guess as fact.' }, T0);
    expect((await t.db.demonstration.findUniqueOrThrow({ where: { id: task.demonstration.id } })).status).toBe('REJECTED');
    expect(await contentOf(t.db, task.demonstration.id)).toEqual(before);
    expect(await t.db.review.findMany({ where: { demonstrationId: task.demonstration.id } })).toMatchObject([
      { verdict: 'REJECT', comment: 'States a guess as fact.' },
    ]);
    expect(await t.db.auditLog.count({ where: { action: 'review.reject' } })).toBe(1);
  });

  it('revise: a new approved row that points at the original, which keeps its content and becomes REVISED', async () => {
    const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    const before = await contentOf(t.db, task.demonstration.id);
    const edited = [{ role: 'assistant' as const, content: 'A better reply, corrected by the reviewer.' }];

    await expectDomainError(
      reviseDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey: key(), messages: task.demonstration.messages, isRefusal: task.demonstration.isRefusal, comment: '' }, T0),
      400,
      'unchanged',
    );

    const result = await reviseDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey: key(), messages: edited, isRefusal: false, comment: 'Tightened.' }, T0);
    expect(result.revisionId).toBeTruthy();
    const original = await t.db.demonstration.findUniqueOrThrow({ where: { id: task.demonstration.id } });
    expect(original.status).toBe('REVISED');
    expect(await contentOf(t.db, task.demonstration.id)).toEqual(before);
    const revision = await t.db.demonstration.findUniqueOrThrow({ where: { id: result.revisionId! } });
    expect(revision).toMatchObject({
      revisesId: original.id,
      authorId: d.reviewer.id,
      status: 'APPROVED',
      itemId: original.itemId,
      guidelineId: original.guidelineId,
      messages: edited,
      assignmentId: null,
    });
    expect(await t.db.review.findMany({ where: { demonstrationId: original.id } })).toMatchObject([
      { verdict: 'REVISE', comment: 'Tightened.', editedContent: edited },
    ]);
    expect(await t.db.auditLog.findMany({ where: { action: 'review.revise' } })).toMatchObject([
      { entityId: original.id, after: { status: 'REVISED', revisionId: revision.id } },
    ]);
    // The reviewer's own revision is approved and is never offered for review.
    for (let i = 0; i < 3; i++) {
      const next = taskOf(await claimReview(t.db, d.admin.id, 'demo', T0));
      expect(next.demonstration.id).not.toBe(revision.id);
      await approveDemonstration(t.db, d.admin.id, next.assignmentId, { clientKey: key(), comment: '' }, T0);
    }
    expect(await claimReview(t.db, d.admin.id, 'demo', T0)).toEqual({ status: 'empty' });
  });

  it('stores one Review for a double verdict with the same key, even when the two race', async () => {
    const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    const clientKey = key();
    const results = await Promise.all([
      approveDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey, comment: '' }, T0),
      approveDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey, comment: '' }, T0),
    ]);
    expect(results[0]!.id).toBe(results[1]!.id);
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    const again = await approveDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey, comment: '' }, T0);
    expect(again).toMatchObject({ id: results[0]!.id, duplicate: true });
    expect(await t.db.review.count()).toBe(1);
    expect(await t.db.auditLog.count({ where: { action: 'review.approve' } })).toBe(1);

    // A revise retried returns the same revision, and stores one.
    const next = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    const reviseKey = key();
    const input = { clientKey: reviseKey, messages: [{ role: 'assistant' as const, content: 'Edited.' }], isRefusal: false, comment: '' };
    const first = await reviseDemonstration(t.db, d.reviewer.id, next.assignmentId, input, T0);
    const second = await reviseDemonstration(t.db, d.reviewer.id, next.assignmentId, input, T0);
    expect(second).toMatchObject({ id: first.id, revisionId: first.revisionId, duplicate: true });
    expect(await t.db.demonstration.count({ where: { revisesId: next.demonstration.id } })).toBe(1);

    // A new key on a finished task is refused; the key of another task is refused too.
    await expectDomainError(approveDemonstration(t.db, d.reviewer.id, task.assignmentId, { clientKey: key(), comment: '' }, T0), 409, 'already_reviewed');
    const third = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    await expectDomainError(approveDemonstration(t.db, d.reviewer.id, third.assignmentId, { clientKey, comment: '' }, T0), 409, 'duplicate_key');
  });

  it('refuses a verdict on someone else’s lease with 409', async () => {
    const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
    await expectDomainError(approveDemonstration(t.db, d.admin.id, task.assignmentId, { clientKey: key(), comment: '' }, T0), 409, 'no_lease');
    await expectDomainError(rejectDemonstration(t.db, d.admin.id, task.assignmentId, { clientKey: key(), reason: 'No.' }, T0), 409, 'no_lease');
    // A labeling assignment is no review lease either.
    const labeling = await t.db.assignment.findFirstOrThrow({ where: { userId: d.labeler.id, kind: 'DEMONSTRATION' } });
    await expectDomainError(approveDemonstration(t.db, d.labeler.id, labeling.id, { clientKey: key(), comment: '' }, T0), 409, 'no_lease');
    expect(await t.db.review.count()).toBe(0);
    expect((await t.db.demonstration.findUniqueOrThrow({ where: { id: task.demonstration.id } })).status).toBe('SUBMITTED');
  });

  it('shows the labeler the latest verdict and comment in "my work", and a revised original as revised', async () => {
    const verdicts = [
      (id: string) => approveDemonstration(t.db, d.reviewer.id, id, { clientKey: key(), comment: 'Clear and correct.' }, T0),
      (id: string) => rejectDemonstration(t.db, d.reviewer.id, id, { clientKey: key(), reason: 'Wrong date.' }, T0),
      (id: string) =>
        reviseDemonstration(t.db, d.reviewer.id, id, { clientKey: key(), messages: [{ role: 'assistant', content: 'Fixed.' }], isRefusal: false, comment: 'Fixed the date.' }, T0),
    ];
    const ids: string[] = [];
    for (const give of verdicts) {
      const task = taskOf(await claimReview(t.db, d.reviewer.id, 'demo', T0));
      await give(task.assignmentId);
      ids.push(task.demonstration.id);
    }
    const work = await myWork(t.db, d.labeler.id);
    const entry = (id: string) => work.entries.find((e) => e.id === id);
    expect(entry(ids[0]!)).toMatchObject({ status: 'APPROVED', review: { verdict: 'APPROVE', comment: 'Clear and correct.' } });
    expect(entry(ids[1]!)).toMatchObject({ status: 'REJECTED', review: { verdict: 'REJECT', comment: 'Wrong date.' } });
    expect(entry(ids[2]!)).toMatchObject({ status: 'REVISED', review: { verdict: 'REVISE', comment: 'Fixed the date.' } });
    // The reviewer's revision is not the labeler's work.
    expect(work.entries.filter((e) => e.kind === 'DEMONSTRATION')).toHaveLength(4);
  });
});

describe('rankings review', () => {
  let t: TestDatabase;
  let d: Demo;
  beforeEach(async () => {
    t = await freshDatabase();
    d = await demo(t.db);
  });
  afterEach(async () => t.close());

  it('shows every ranking of an item side by side, with candidate texts and the author', async () => {
    const item = await t.db.item.findFirstOrThrow({ where: { externalId: 'demo-008' } });
    const view = await itemRankings(t.db, d.reviewer.id, item.id);
    expect(view.rankings).toHaveLength(1);
    const [ranking] = view.rankings;
    expect(ranking!.author.name).toBe('Lena Labeler');
    expect(ranking!.guideline?.version).toBe(1);
    expect(ranking!.tiers.map((tier) => tier.length)).toEqual([2, 1, 1]);
    expect(ranking!.tiers[0]![0]!.content).toBeTruthy();
    expect(Object.keys(ranking!.ratings)).toHaveLength(view.candidates.length);
  });

  it('invalidates a ranking: status INVALID, a Review with verdict INVALIDATE, an audit row; a reason is required', async () => {
    const ranking = await t.db.ranking.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
    const error = await expectDomainError(invalidateRanking(t.db, d.reviewer.id, ranking.id, ' '), 400);
    expect(error.field).toBe('reason');

    const result = await invalidateRanking(t.db, d.reviewer.id, ranking.id, 'Ranked the wrong answer first.');
    const stored = await t.db.ranking.findUniqueOrThrow({ where: { id: ranking.id } });
    expect(stored.status).toBe('INVALID');
    expect({ ...stored, status: ranking.status }).toEqual(ranking);
    expect(await t.db.review.findMany({ where: { rankingId: ranking.id } })).toMatchObject([
      { id: result.id, verdict: 'INVALIDATE', comment: 'Ranked the wrong answer first.', reviewerId: d.reviewer.id },
    ]);
    expect(await t.db.auditLog.count({ where: { action: 'review.invalidate', entityId: ranking.id } })).toBe(1);

    const again = await invalidateRanking(t.db, d.reviewer.id, ranking.id, 'Twice.');
    expect(again).toMatchObject({ id: result.id, duplicate: true });
    expect(await t.db.review.count({ where: { rankingId: ranking.id } })).toBe(1);

    const view = await itemRankings(t.db, d.reviewer.id, ranking.itemId);
    expect(view.rankings.find((r) => r.id === ranking.id)).toMatchObject({ status: 'INVALID', review: { verdict: 'INVALIDATE' } });
    const work = await myWork(t.db, d.labeler.id);
    expect(work.entries.find((e) => e.id === ranking.id)).toMatchObject({ status: 'INVALID', review: { comment: 'Ranked the wrong answer first.' } });
  });

  it('refuses items and rankings of projects the reviewer is not a member of with 403', async () => {
    const stranger = await t.db.user.create({ data: { email: 's@x.test', name: 'S', passwordHash: 'x', role: 'REVIEWER' } });
    const ranking = await t.db.ranking.findFirstOrThrow();
    await expectDomainError(itemRankings(t.db, stranger.id, ranking.itemId), 403, 'not_a_member');
    await expectDomainError(itemRankings(t.db, stranger.id, 'no-such-item'), 403, 'not_a_member');
    await expectDomainError(invalidateRanking(t.db, stranger.id, ranking.id, 'Bad.'), 403, 'not_a_member');
    expect((await t.db.ranking.findUniqueOrThrow({ where: { id: ranking.id } })).status).toBe('SUBMITTED');
  });
});
