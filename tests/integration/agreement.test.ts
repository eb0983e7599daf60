import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../lib/metrics/agreement.ts';
import { agreementForViewer, projectAgreement, type ProjectAgreement } from '../../lib/metrics/project-agreement.ts';
import { DomainError } from '../../lib/errors.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

/*
 * Three labelers (L1, L2, L3) rank four items of three answers (a, b, c) and one gold item
 * (gold: a above b). Positions are tier indexes; r = 2/√6 is tau-b of [a b tied, c] vs [a, b, c].
 *
 *   item      L1           L2           L3            pair taus (12, 13, 23)    item mean tau   pairwise
 *   agree     a > b > c    a > b > c    a > b > c     1, 1, 1                   1               1
 *   reverse   a > b > c    a > b > c    c > b > a     1, −1, −1                 −1/3            1/3
 *   tie       a = b > c    a > b > c    (INVALID)     r                         r               1
 *   swap      a > b > c    b > a > c    a > c > b     1/3, 1/3, −1/3            1/9             5/9
 *   gold      a > b > c    b > a > c    a = b > c     1/3, r, r                 (1/3 + 2r)/3    8/9
 *
 * agree and reverse are ranked in ISO week 2025-W02, the rest in 2025-W03.
 */
const R = 2 / Math.sqrt(6);
const ITEM_TAU = { agree: 1, reverse: -1 / 3, tie: R, swap: 1 / 9, gold: (1 / 3 + 2 * R) / 3 };
const ITEM_PAIRWISE = { agree: 1, reverse: 1 / 3, tie: 1, swap: 5 / 9, gold: 8 / 9 };
const avg = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

type Key = 'agree' | 'reverse' | 'tie' | 'swap' | 'gold';
const ORDER: Record<Key, [string, string, string | null]> = {
  agree: ['a>b>c', 'a>b>c', 'a>b>c'],
  reverse: ['a>b>c', 'a>b>c', 'c>b>a'],
  tie: ['a=b>c', 'a>b>c', null],
  swap: ['a>b>c', 'b>a>c', 'a>c>b'],
  gold: ['a>b>c', 'b>a>c', 'a=b>c'],
};
const W02 = new Date('2025-01-07T10:00:00Z');
const W03 = new Date('2025-01-14T10:00:00Z');

// Truthful ratings per labeler on (item, a/b/c); helpful is everyone's 5/3/1; harmless is always 5.
const TRUTHFUL: Record<Key, [number[], number[], number[]]> = {
  agree: [[5, 3, 1], [5, 3, 1], [5, 3, 1]],
  reverse: [[5, 3, 1], [4, 3, 1], [1, 3, 5]],
  tie: [[4, 4, 2], [5, 4, 2], []],
  swap: [[5, 4, 1], [4, 5, 1], [5, 2, 4]],
  gold: [[5, 3, 1], [3, 5, 1], [4, 4, 1]],
};

describe('project agreement figures', () => {
  let t: TestDatabase;
  let projectId: string;
  let users: Record<'L1' | 'L2' | 'L3' | 'member' | 'outsider' | 'admin', string>;
  const items = {} as Record<Key, { id: string; c: Record<'a' | 'b' | 'c', string> }>;
  let report: ProjectAgreement;

  beforeAll(async () => {
    t = await freshDatabase();
    const make = (email: string, role: 'ADMIN' | 'REVIEWER' | 'LABELER') =>
      t.db.user.create({ data: { email, name: email.split('@')[0]!, role, passwordHash: 'x' } }).then((u) => u.id);
    users = {
      L1: await make('l1@test.local', 'LABELER'),
      L2: await make('l2@test.local', 'LABELER'),
      L3: await make('l3@test.local', 'LABELER'),
      member: await make('member@test.local', 'REVIEWER'),
      outsider: await make('outsider@test.local', 'REVIEWER'),
      admin: await make('admin@test.local', 'ADMIN'),
    };
    const project = await t.db.project.create({
      data: {
        slug: 'agree',
        name: 'Agreement',
        members: { create: [users.L1, users.L2, users.L3, users.member].map((userId) => ({ userId })) },
      },
    });
    projectId = project.id;
    await t.db.project.create({ data: { slug: 'other', name: 'Other', members: { create: [{ userId: users.outsider }] } } });

    for (const key of Object.keys(ORDER) as Key[]) {
      const item = await t.db.item.create({
        data: { projectId, externalId: key, messages: [{ role: 'user', content: `Prompt for ${key}:\nplease answer.` }] },
      });
      const c = {} as Record<'a' | 'b' | 'c', string>;
      for (const letter of ['a', 'b', 'c'] as const) c[letter] = (await t.db.candidate.create({ data: { itemId: item.id, content: letter } })).id;
      items[key] = { id: item.id, c };
      if (key === 'gold') await t.db.item.update({ where: { id: item.id }, data: { isGold: true, goldAnswer: { tiers: [[c.a], [c.b]], source: 'hh' } } });
    }

    const tiersOf = (key: Key, order: string) =>
      order.split('>').map((tier) => tier.split('=').map((letter) => items[key].c[letter as 'a' | 'b' | 'c']));
    const labelers = ['L1', 'L2', 'L3'] as const;
    const times: Record<string, number[]> = { L1: [10, 20, 30, 40, 50], L2: [5, 5, 5, 5, 5], L3: [1, 2, 3, 4] };
    for (const [index, labeler] of labelers.entries()) {
      for (const key of Object.keys(ORDER) as Key[]) {
        const order = ORDER[key][index];
        if (!order) continue;
        const truthful = TRUTHFUL[key][index]!;
        const ratings = Object.fromEntries(
          (['a', 'b', 'c'] as const).map((letter, i) => [items[key].c[letter], { helpful: 5 - 2 * i, truthful: truthful[i], harmless: 5 }]),
        );
        const flags: Record<string, string[]> = {};
        if (key === 'reverse' && labeler !== 'L2') flags[items.reverse.c.c] = ['hallucination'];
        if (key === 'swap' && labeler === 'L2') flags[items.swap.c.b] = ['unsafe'];
        await t.db.ranking.create({
          data: {
            itemId: items[key].id,
            authorId: users[labeler],
            tiers: tiersOf(key, order),
            ratings,
            flags,
            status: key === 'agree' ? 'VALID' : 'SUBMITTED',
            timeSpentMs: times[labeler]!.shift()! * 1000,
            createdAt: key === 'agree' || key === 'reverse' ? W02 : W03,
          },
        });
      }
    }
    // An invalidated ranking would pull "tie" down and give L3 a sixth ranking: it must not count.
    await t.db.ranking.create({
      data: { itemId: items.tie.id, authorId: users.L3, tiers: tiersOf('tie', 'c>b>a'), status: 'INVALID', timeSpentMs: 999_000, createdAt: W03 },
    });
    report = await projectAgreement(t.db, { id: projectId, slug: 'agree', name: 'Agreement' });
  });
  afterAll(() => t.close());

  it('counts the valid rankings only', () => {
    expect(report).toMatchObject({ rankings: 14, items: 5, labelers: 3 });
  });

  it("computes Krippendorff's alpha per rating dimension over (item, answer) units", () => {
    expect(report.ratings.helpful).toEqual({ alpha: 1, units: 15, coders: 3 });
    expect(report.ratings.harmless).toEqual({ alpha: null, units: 15, coders: 3 });
    // The truthful matrix, written out by hand: rows L1, L2, L3; columns item by item, a b c.
    const keys: Key[] = ['agree', 'gold', 'reverse', 'swap', 'tie'];
    const matrix = [0, 1, 2].map((labeler) => keys.flatMap((key) => (TRUTHFUL[key][labeler]!.length ? TRUTHFUL[key][labeler]! : [null, null, null])));
    expect(report.ratings.truthful.units).toBe(15);
    expect(report.ratings.truthful.alpha).toBeCloseTo(krippendorffAlpha(matrix, 'ordinal')!, 12);
    expect(report.ratings.truthful.alpha!).toBeLessThan(1);
  });

  it('computes alpha per flag with only the labelers who ranked an item as its coders', () => {
    const flag = (name: string) => report.flags.find((f) => f.flag === name)!;
    // hallucination: one unit [1, 0, 1] among 42 pairable values (n1 = 2): α = 1 − 41·2 / (2·40·2).
    expect(flag('hallucination')).toEqual({ flag: 'hallucination', alpha: expect.closeTo(1 - 82 / 160, 12), units: 15, coders: 3, count: 2 });
    // unsafe: one unit [0, 1, 0] (n1 = 1): α = 1 − 41·2 / (2·41·1) = 0.
    expect(flag('unsafe').alpha).toBeCloseTo(0, 12);
    expect(flag('off_topic')).toMatchObject({ alpha: null, count: 0 });
  });

  it("averages Kendall's tau-b and pairwise agreement per item, then over the project", () => {
    expect(report.ranking.tau.mean).toBeCloseTo(avg(Object.values(ITEM_TAU)), 12);
    expect(report.ranking.tau).toMatchObject({ items: 5, pairs: 13 });
    expect(report.ranking.pairwise.mean).toBeCloseTo(avg(Object.values(ITEM_PAIRWISE)), 12);
    expect(report.ranking.pairwise).toMatchObject({ items: 5, pairs: 13 });
  });

  it('gives the same figures per ISO week', () => {
    expect(report.overTime.map((w) => w.week)).toEqual(['2025-W02', '2025-W03']);
    expect(report.overTime[0]).toEqual({ week: '2025-W02', tau: expect.closeTo(avg([ITEM_TAU.agree, ITEM_TAU.reverse]), 12), pairwise: expect.closeTo(avg([1, 1 / 3]), 12), items: 2, pairs: 6 });
    expect(report.overTime[1]!.tau).toBeCloseTo(avg([ITEM_TAU.tie, ITEM_TAU.swap, ITEM_TAU.gold]), 12);
    expect(report.overTime[1]).toMatchObject({ items: 3, pairs: 7 });
  });

  it('lists the lowest-agreement items first, with a prompt snippet and a review link', () => {
    expect(report.lowest.map((i) => i.itemId)).toEqual([items.reverse.id, items.swap.id, items.gold.id, items.tie.id, items.agree.id]);
    expect(report.lowest[0]).toMatchObject({
      tau: expect.closeTo(-1 / 3, 12),
      pairwise: expect.closeTo(1 / 3, 12),
      labelers: 3,
      pairs: 3,
      snippet: 'Prompt for reverse: please answer.',
      href: `/review/items/${items.reverse.id}`,
    });
    expect(report.lowest[3]).toMatchObject({ labelers: 2, pairs: 1 });
  });

  it('gives each labeler their agreement with the others, gold accuracy, volume and median time', () => {
    const of = (who: 'L1' | 'L2' | 'L3') => report.perLabeler.find((l) => l.userId === users[who])!;
    // L1's pairs: agree 1, 1; reverse 1, −1; tie r; swap 1/3, 1/3; gold 1/3, r.
    expect(of('L1')).toMatchObject({ email: 'l1@test.local', name: 'l1', rankings: 5, pairs: 9, medianTimeMs: 30_000 });
    expect(of('L1').agreement).toBeCloseTo((3 + 2 * R) / 9, 12);
    // L2's pairs: agree 1, 1; reverse 1, −1; tie r; swap 1/3, −1/3; gold 1/3, r.
    expect(of('L2')).toMatchObject({ rankings: 5, pairs: 9, medianTimeMs: 5_000 });
    expect(of('L2').agreement).toBeCloseTo((7 / 3 + 2 * R) / 9, 12);
    // L3's pairs: agree 1, 1; reverse −1, −1; swap 1/3, −1/3; gold r, r.
    expect(of('L3')).toMatchObject({ rankings: 4, pairs: 8, medianTimeMs: 2_500 });
    expect(of('L3').agreement).toBeCloseTo(R / 4, 12);
    // Gold (a above b): L1 right; L2 reversed; L3 tied, which is not "above".
    expect(of('L1').gold).toEqual({ correct: 1, total: 1, accuracy: 1 });
    expect(of('L2').gold).toEqual({ correct: 0, total: 1, accuracy: 0 });
    expect(of('L3').gold).toEqual({ correct: 0, total: 1, accuracy: 0 });
  });

  it('shows a project to its reviewers and to admins, and refuses reviewers from elsewhere', async () => {
    const asMember = await agreementForViewer(t.db, { id: users.member, role: 'REVIEWER' }, 'agree');
    expect(asMember.ranking.tau.mean).toBeCloseTo(report.ranking.tau.mean!, 12);
    const asAdmin = await agreementForViewer(t.db, { id: users.admin, role: 'ADMIN' }, 'agree', 2);
    expect(asAdmin.lowest.map((i) => i.itemId)).toEqual([items.reverse.id, items.swap.id]);

    const outsider = agreementForViewer(t.db, { id: users.outsider, role: 'REVIEWER' }, 'agree');
    await expect(outsider).rejects.toBeInstanceOf(DomainError);
    await expect(outsider).rejects.toMatchObject({ status: 403, code: 'not_a_member' });
    await expect(agreementForViewer(t.db, { id: users.outsider, role: 'REVIEWER' }, 'no-such-project')).rejects.toMatchObject({ status: 403 });
    await expect(agreementForViewer(t.db, { id: users.admin, role: 'ADMIN' }, 'no-such-project')).rejects.toMatchObject({ status: 404 });
  });
});
