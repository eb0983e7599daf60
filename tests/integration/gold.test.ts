import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.ts';
import { projectAgreement } from '../../lib/metrics/project-agreement.ts';
import { clearGold, goldItem, ITEMS_PAGE_SIZE, listProjectItems, setGold } from '../../lib/projects/gold.ts';
import { domainError, freshDatabase, type TestDatabase } from './database.ts';

/*
 * One project of 25 items with three answers each (a, b, c), ranked by two labelers on the first
 * item: L1 says c > a > b, L2 says a > b > c. The first item also carries an imported HH-RLHF
 * preference (a over b) until an admin replaces it.
 */
describe('gold items', () => {
  let t: TestDatabase;
  let admin: { id: string; ip: string };
  let projectId: string;
  let other: { itemId: string; candidate: string };
  const items: { id: string; c: Record<'a' | 'b' | 'c', string> }[] = [];

  beforeAll(async () => {
    t = await freshDatabase();
    const make = (email: string, role: 'ADMIN' | 'LABELER') => t.db.user.create({ data: { email, name: email.split('@')[0]!, role, passwordHash: 'x' } });
    admin = { id: (await make('admin@test.local', 'ADMIN')).id, ip: '192.0.2.1' };
    const l1 = await make('l1@test.local', 'LABELER');
    const l2 = await make('l2@test.local', 'LABELER');
    projectId = (await t.db.project.create({ data: { slug: 'gold', name: 'Gold' } })).id;
    for (let i = 0; i < 25; i++) {
      const item = await t.db.item.create({
        data: {
          projectId,
          externalId: `q-${String(i).padStart(2, '0')}`,
          messages: [{ role: 'user', content: i === 7 ? 'How do volcanoes form? 100% sure_please' : `Question number ${i}` }],
          createdAt: new Date(Date.UTC(2030, 0, 1, 0, i)),
        },
      });
      const c = {} as Record<'a' | 'b' | 'c', string>;
      for (const letter of ['a', 'b', 'c'] as const) c[letter] = (await t.db.candidate.create({ data: { itemId: item.id, content: `answer ${letter}` } })).id;
      items.push({ id: item.id, c });
    }
    const first = items[0]!;
    await t.db.item.update({ where: { id: first.id }, data: { goldAnswer: { tiers: [[first.c.a], [first.c.b]], source: 'hh-rlhf' } } });
    await t.db.ranking.create({ data: { itemId: first.id, authorId: l1.id, tiers: [[first.c.c], [first.c.a], [first.c.b]] } });
    await t.db.ranking.create({ data: { itemId: first.id, authorId: l2.id, tiers: [[first.c.a], [first.c.b], [first.c.c]] } });

    const otherProject = await t.db.project.create({ data: { slug: 'other', name: 'Other' } });
    const stranger = await t.db.item.create({
      data: { projectId: otherProject.id, externalId: 'x', messages: [{ role: 'user', content: 'elsewhere' }], candidates: { create: [{ content: 'x' }, { content: 'y' }] } },
      include: { candidates: true },
    });
    other = { itemId: stranger.id, candidate: stranger.candidates[0]!.id };
  });
  afterAll(() => t.close());

  const goldOf = async (email: string) => {
    const report = await projectAgreement(t.db, { id: projectId, slug: 'gold', name: 'Gold' });
    return report.perLabeler.find((l) => l.email === email)!.gold;
  };

  it('lists items a page at a time, oldest first, with their answers and gold answer', async () => {
    const first = await listProjectItems(t.db, projectId, { page: 1 });
    expect(first).toMatchObject({ total: 25, page: 1, pages: 2, pageSize: ITEMS_PAGE_SIZE });
    expect(first.items).toHaveLength(ITEMS_PAGE_SIZE);
    expect(first.items[0]).toMatchObject({ externalId: 'q-00', snippet: 'Question number 0', candidates: 3, gold: { source: 'hh-rlhf' } });
    expect(first.items[1]!.gold).toBeNull();
    const second = await listProjectItems(t.db, projectId, { page: 2 });
    expect(second.items.map((i) => i.externalId)).toEqual(['q-20', 'q-21', 'q-22', 'q-23', 'q-24']);
    // A page past the end shows the last one.
    expect((await listProjectItems(t.db, projectId, { page: 99 })).page).toBe(2);
  });

  it('searches prompt text and external ids, case-insensitively, with % and _ taken literally', async () => {
    const search = async (q: string, gold?: '1') => (await listProjectItems(t.db, projectId, { q, gold, page: 1 })).items.map((i) => i.externalId);
    expect(await search('VOLCANOES')).toEqual(['q-07']);
    expect(await search('100% sure_')).toEqual(['q-07']);
    expect(await search('q-1')).toEqual(['q-10', 'q-11', 'q-12', 'q-13', 'q-14', 'q-15', 'q-16', 'q-17', 'q-18', 'q-19']);
    expect(await search('%')).toEqual(['q-07']);
    expect(await search('user')).toEqual([]);
    expect(await search('', '1')).toEqual(['q-00']);
  });

  it('refuses a reference ranking that is not one of the item’s answers, repeats one or has one tier', async () => {
    const item = items[1]!;
    const cases: [unknown, string, RegExp][] = [
      [{ tiers: [[item.c.a, item.c.b, item.c.c]] }, 'tiers', /at least two tiers/],
      [{ tiers: [[item.c.a], []] }, 'tiers.1', /empty tier/],
      [{ tiers: [[item.c.a], ['nope']] }, 'tiers.1.0', /"nope" is not an answer of this item/],
      [{ tiers: [[item.c.a], [other.candidate]] }, 'tiers.1.0', /is not an answer of this item/],
      [{ tiers: [[item.c.a, item.c.b], [item.c.a]] }, 'tiers.1.0', /more than one place/],
      [{ tiers: [[items[2]!.c.a], [item.c.b]] }, 'tiers.0.0', /is not an answer of this item/],
      [{ tiers: 'a > b' }, 'tiers', /list of tiers/],
    ];
    for (const [input, field, message] of cases) {
      const error = await domainError(setGold(t.db, admin, 'gold', item.id, input));
      expect(error, JSON.stringify(input)).toMatchObject({ status: 400, code: 'invalid_input', field });
      expect(error.message).toMatch(message);
    }
    // Another project's item, or a project that does not exist, is "not found".
    expect(await domainError(setGold(t.db, admin, 'gold', other.itemId, { tiers: [[other.candidate], ['y']] }))).toMatchObject({ status: 404 });
    expect(await domainError(clearGold(t.db, admin, 'nope', item.id))).toMatchObject({ status: 404 });
    expect(await t.db.item.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ isGold: false, goldAnswer: null });
    expect(await t.db.auditLog.count({ where: { action: { startsWith: 'item.gold' } } })).toBe(0);
  });

  it('marks an item gold with the admin’s reference ranking, audited, and clears it again', async () => {
    const item = items[3]!;
    const tiers = [[item.c.b], [item.c.a, item.c.c]];
    expect(await setGold(t.db, admin, 'gold', item.id, { tiers })).toEqual({ itemId: item.id, gold: { tiers, source: 'admin' } });
    expect(await t.db.item.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ isGold: true, goldAnswer: { tiers, source: 'admin' } });
    expect((await goldItem(t.db, projectId, item.id)).gold).toEqual({ tiers, source: 'admin' });
    // Saving the same ranking again changes nothing and records nothing.
    await setGold(t.db, admin, 'gold', item.id, { tiers });
    const set = await t.db.auditLog.findMany({ where: { entityId: item.id } });
    expect(set).toHaveLength(1);
    expect(set[0]).toMatchObject({
      actorId: admin.id,
      action: 'item.gold_set',
      entityType: 'Item',
      ip: '192.0.2.1',
      before: { isGold: false, goldAnswer: null },
      after: { isGold: true, goldAnswer: { tiers, source: 'admin' } },
    });
    expect((await listProjectItems(t.db, projectId, { gold: '1', page: 1 })).items.map((i) => i.externalId)).toEqual(['q-00', 'q-03']);

    expect(await clearGold(t.db, admin, 'gold', item.id)).toEqual({ itemId: item.id, gold: null });
    expect(await t.db.item.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ isGold: false, goldAnswer: null });
    await clearGold(t.db, admin, 'gold', item.id);
    const log = await t.db.auditLog.findMany({ where: { entityId: item.id }, orderBy: { createdAt: 'asc' } });
    expect(log.map((entry) => entry.action)).toEqual(['item.gold_set', 'item.gold_clear']);
    expect(log[1]).toMatchObject({ before: { isGold: true, goldAnswer: { tiers, source: 'admin' } }, after: { isGold: false, goldAnswer: null } });
  });

  it('scores labelers against the admin’s reference ranking once it replaces the imported preference', async () => {
    const item = items[0]!;
    // The imported preference (a over b): L1 ranked a over b, so did L2.
    expect(await goldOf('l1@test.local')).toEqual({ correct: 1, total: 1, accuracy: 1 });
    expect(await goldOf('l2@test.local')).toEqual({ correct: 1, total: 1, accuracy: 1 });

    // The admin's reference: c best, then a and b tied. L1 (c > a > b) put c above both; L2 (a > b > c) did not.
    await setGold(t.db, admin, 'gold', item.id, { tiers: [[item.c.c], [item.c.a, item.c.b]] });
    expect(await goldOf('l1@test.local')).toEqual({ correct: 1, total: 1, accuracy: 1 });
    expect(await goldOf('l2@test.local')).toEqual({ correct: 0, total: 1, accuracy: 0 });
    const report = await projectAgreement(t.db, { id: projectId, slug: 'gold', name: 'Gold' });
    expect(report.gold).toEqual({ correct: 1, total: 2, accuracy: 0.5 });

    // Un-marked, the item no longer counts for anyone.
    await clearGold(t.db, admin, 'gold', item.id);
    expect(await goldOf('l1@test.local')).toEqual({ correct: 0, total: 0, accuracy: null });
  });
});
