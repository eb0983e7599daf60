import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './database.ts';

/** The queue skips finished items by Item.submitted*, which a trigger keeps from Assignment rows. */
describe('submitted counts on items', () => {
  let t: TestDatabase;
  let itemId: string;
  let users: string[];

  const counts = async () => t.db.item.findUniqueOrThrow({ where: { id: itemId }, select: { submittedDemonstrations: true, submittedRankings: true } });
  const assignment = (userId: string, kind: 'DEMONSTRATION' | 'RANKING' | 'REVIEW', status: 'ACTIVE' | 'SUBMITTED', targetId = '') =>
    t.db.assignment.create({ data: { itemId, userId, kind, status, targetId, leaseExpiresAt: new Date(Date.now() + 60_000) } });

  beforeAll(async () => {
    t = await freshDatabase();
    const project = await t.db.project.create({ data: { slug: 'counts', name: 'Counts' } });
    itemId = (await t.db.item.create({ data: { projectId: project.id, externalId: 'a', messages: [{ role: 'user', content: 'q' }] } })).id;
    users = await Promise.all([1, 2, 3].map(async (n) => (await t.db.user.create({ data: { email: `u${n}@test.local`, name: `u${n}`, role: 'LABELER', passwordHash: 'x' } })).id));
  });
  afterAll(() => t.close());

  it('counts submitted labeling slots of each kind, and nothing else', async () => {
    await assignment(users[0]!, 'RANKING', 'SUBMITTED');
    await assignment(users[1]!, 'RANKING', 'ACTIVE');
    await assignment(users[0]!, 'DEMONSTRATION', 'SUBMITTED');
    // A reviewer's slot on the same item is not labeling work.
    await assignment(users[2]!, 'REVIEW', 'SUBMITTED', 'some-ranking');
    expect(await counts()).toEqual({ submittedDemonstrations: 1, submittedRankings: 1 });
  });

  it('follows a lease that is submitted, one that expires, and a row that is deleted', async () => {
    const live = await t.db.assignment.findFirstOrThrow({ where: { itemId, userId: users[1]!, kind: 'RANKING' } });
    await t.db.assignment.update({ where: { id: live.id }, data: { status: 'SUBMITTED' } });
    expect((await counts()).submittedRankings).toBe(2);
    await t.db.assignment.updateMany({ where: { itemId, status: 'ACTIVE' }, data: { status: 'EXPIRED' } });
    expect((await counts()).submittedRankings).toBe(2);
    await t.db.assignment.delete({ where: { id: live.id } });
    expect(await counts()).toEqual({ submittedDemonstrations: 1, submittedRankings: 1 });
    // Re-submitting a row already submitted changes nothing.
    await t.db.assignment.updateMany({ where: { itemId, kind: 'DEMONSTRATION' }, data: { status: 'SUBMITTED' } });
    expect(await counts()).toEqual({ submittedDemonstrations: 1, submittedRankings: 1 });
  });
});
