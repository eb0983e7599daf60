import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../lib/db/migrate.ts';
import { DEMO_ACCOUNTS, seedDemo } from '../../lib/seed/demo.ts';
import { DEMO_DEMONSTRATIONS, DEMO_ITEMS, DEMO_RANKINGS } from '../../lib/seed/fixtures.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

async function counts(t: TestDatabase) {
  const [users, projects, guidelines, items, candidates, demonstrations, rankings] = await Promise.all([
    t.db.user.count(),
    t.db.project.count(),
    t.db.guideline.count(),
    t.db.item.count(),
    t.db.candidate.count(),
    t.db.demonstration.count(),
    t.db.ranking.count(),
  ]);
  return { users, projects, guidelines, items, candidates, demonstrations, rankings };
}

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase({ migrated: false });
  });
  afterAll(() => t.close());

  it('apply every migration once and record them as prisma migrate deploy does', async () => {
    const all = readMigrations().map((m) => m.name);
    expect(await migrate(t.url)).toEqual(all);
    expect(await migrate(t.url)).toEqual([]);
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    const rows = await client.query('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
    await client.end();
    expect(rows.rows.map((r) => r.migration_name)).toEqual(all);
    expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });

  it('refuse a migration that was edited after it was applied', async () => {
    const [first, ...rest] = readMigrations();
    const edited = { ...first!, sql: `${first!.sql}\n-- edited`, checksum: '0'.repeat(64) };
    await expect(migrate(t.url, [edited, ...rest])).rejects.toThrow(/edited after it was applied/);
  });

  it('enforce the unique keys the product relies on', async () => {
    const project = await t.db.project.create({ data: { slug: 'uniq', name: 'Uniq' } });
    await t.db.item.create({ data: { projectId: project.id, externalId: 'x1', messages: [] } });
    await expect(t.db.item.create({ data: { projectId: project.id, externalId: 'x1', messages: [] } })).rejects.toThrow();
  });
});

describe('demo seed', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(() => t.close());

  it('fills an empty database, then does nothing on the next start', async () => {
    expect(await seedDemo(t.db)).toEqual({ seeded: true });
    const first = await counts(t);
    expect(first).toMatchObject({
      users: DEMO_ACCOUNTS.length,
      projects: 1,
      guidelines: 1,
      items: DEMO_ITEMS.length,
      demonstrations: DEMO_DEMONSTRATIONS.length,
      rankings: DEMO_RANKINGS.length,
    });
    await migrate(t.url);
    expect(await seedDemo(t.db)).toEqual({ seeded: false });
    expect(await counts(t)).toEqual(first);
  });

  it('gives the demo project a published guideline, refusal items and multi-turn items', async () => {
    const project = await t.db.project.findUniqueOrThrow({ where: { slug: 'demo' }, include: { guidelines: true } });
    const guideline = project.guidelines[0]!;
    expect(guideline.publishedAt).not.toBeNull();
    for (const section of ['## Helpful', '## Truthful', '## Harmless']) expect(guideline.body).toContain(section);
    const items = await t.db.item.findMany({ where: { projectId: project.id }, include: { candidates: true } });
    expect(items.filter((item) => (item.metadata as { shouldRefuse?: boolean }).shouldRefuse).length).toBeGreaterThanOrEqual(3);
    expect(items.filter((item) => (item.messages as unknown[]).length > 1).length).toBeGreaterThanOrEqual(3);
    for (const item of items) {
      expect(item.candidates.length).toBeGreaterThanOrEqual(2);
      expect(item.candidates.length).toBeLessThanOrEqual(4);
    }
  });

  it('stores rankings whose tiers name the item’s own candidates', async () => {
    const rankings = await t.db.ranking.findMany({ include: { item: { include: { candidates: true } } } });
    for (const ranking of rankings) {
      const ids = new Set(ranking.item.candidates.map((c) => c.id));
      const ranked = (ranking.tiers as string[][]).flat();
      expect(ranked.length).toBe(ids.size);
      expect(ranked.every((id) => ids.has(id))).toBe(true);
    }
  });

  it('seeds exactly once when two servers start at the same time', async () => {
    const other = await freshDatabase();
    try {
      const results = await Promise.all([seedDemo(other.db), seedDemo(other.db)]);
      expect(results.filter((r) => r.seeded)).toHaveLength(1);
      expect(await other.db.user.count()).toBe(DEMO_ACCOUNTS.length);
    } finally {
      await other.close();
    }
  });
});
