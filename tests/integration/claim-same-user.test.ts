import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeGuideline, latestPublished } from '../../lib/guidelines/gate.ts';
import { claimNext } from '../../lib/queue/claim.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

describe('one labeler asking twice at once (two tabs)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
    await seedDemo(t.db);
  });
  afterAll(() => t.close());

  it('gets the same task in every tab, and holds one lease', async () => {
    const labeler = await t.db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } });
    const project = await t.db.project.findUniqueOrThrow({ where: { slug: 'demo' } });
    await acknowledgeGuideline(t.db, labeler.id, project.id, (await latestPublished(t.db, project.id))!.id);
    const results = await Promise.all(Array.from({ length: 5 }, () => claimNext(t.db, labeler.id, 'demo', 'DEMONSTRATION')));
    const ids = new Set(results.map((r) => (r.status === 'task' ? r.task.assignmentId : r.status)));
    expect(ids.size).toBe(1);
    expect(await t.db.assignment.count({ where: { userId: labeler.id, status: 'ACTIVE' } })).toBe(1);
  });
});
