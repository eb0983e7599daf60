import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../lib/db.ts';
import { freePort } from '../../lib/db/embedded.ts';
import { checkDatabase } from '../../lib/health.ts';
import { projectsForMember } from '../../lib/projects/overview.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

describe('queries scoped to the asking user', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
    await seedDemo(t.db);
  });
  afterAll(() => t.close());

  it('shows a labeler only the projects they are a member of', async () => {
    const labeler = await t.db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } });
    expect((await projectsForMember(t.db, labeler.id)).map((p) => p.slug)).toEqual(['demo']);

    const outsider = await t.db.user.create({
      data: { email: 'outsider@example.com', name: 'Out', passwordHash: 'x', role: 'LABELER' },
    });
    await t.db.project.create({ data: { slug: 'secret', name: 'Secret' } });
    expect(await projectsForMember(t.db, outsider.id)).toEqual([]);
  });

});

describe('database health', () => {
  it('is up on a live database and down on an unreachable one', async () => {
    const t = await freshDatabase();
    try {
      expect(await checkDatabase(t.db)).toBe(true);
    } finally {
      await t.close();
    }
    const dead = createDb(`postgresql://nobody:nothing@127.0.0.1:${await freePort()}/none`);
    expect(await checkDatabase(dead)).toBe(false);
    await dead.$disconnect();
  });
});
