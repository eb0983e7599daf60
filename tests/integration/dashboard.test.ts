import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectDashboard } from '../../lib/dashboard/stats.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { DEMO_DEMONSTRATIONS, DEMO_ITEMS, DEMO_RANKINGS } from '../../lib/seed/fixtures.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

describe('project dashboard figures', () => {
  let t: TestDatabase;
  let projectId: string;
  beforeAll(async () => {
    t = await freshDatabase();
    await seedDemo(t.db);
    projectId = (await t.db.project.findUniqueOrThrow({ where: { slug: 'demo' } })).id;
  });
  afterAll(() => t.close());

  it('counts items by state and the slots the quotas ask for', async () => {
    const stats = await projectDashboard(t.db, projectId);
    expect(stats.items.total).toBe(DEMO_ITEMS.length);
    expect(stats.items.untouched + stats.items.inProgress + stats.items.complete).toBe(DEMO_ITEMS.length);
    // Demo quotas: 1 reply and 2 rankings per item; every demo item has at least two candidates.
    expect(stats.slots.total).toBe(DEMO_ITEMS.length * 3);
    expect(stats.slots.filled).toBe(DEMO_DEMONSTRATIONS.length + DEMO_RANKINGS.length);
  });

  it('charts submissions per day and burns the remaining slots down', async () => {
    const stats = await projectDashboard(t.db, projectId);
    expect(stats.perDay).toHaveLength(30);
    const today = stats.perDay.at(-1)!;
    expect(today).toMatchObject({ demonstrations: DEMO_DEMONSTRATIONS.length, rankings: DEMO_RANKINGS.length });
    expect(stats.burnDown.at(-1)!.remaining).toBe(stats.slots.total - DEMO_DEMONSTRATIONS.length - DEMO_RANKINGS.length);
    expect(stats.burnDown[0]!.remaining).toBe(stats.slots.total);
  });

  it('counts flags by type, labelers and their work', async () => {
    const ranking = await t.db.ranking.findFirstOrThrow();
    const [first] = ranking.tiers as string[][];
    await t.db.ranking.update({ where: { id: ranking.id }, data: { flags: { [first![0]!]: ['hallucination', 'unsafe'] } } });
    const stats = await projectDashboard(t.db, projectId);
    expect(stats.flags).toEqual(expect.arrayContaining([{ flag: 'hallucination', count: 1 }, { flag: 'unsafe', count: 1 }]));
    expect(stats.activeLabelers.lastSevenDays).toBe(1);
    expect(stats.labelers).toEqual([
      expect.objectContaining({ email: 'labeler@feedloop.local', demonstrations: DEMO_DEMONSTRATIONS.length, rankings: DEMO_RANKINGS.length, skips: 0 }),
    ]);
  });
});
