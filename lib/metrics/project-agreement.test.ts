import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from './agreement.ts';
import {
  agreementFigures,
  agreementOverTime,
  alphaFigure,
  flagMatrix,
  goldTotals,
  goldVerdict,
  isoWeek,
  labelerFigures,
  latestPerLabeler,
  lowestAgreement,
  meanOverItems,
  median,
  pairFigures,
  parseFlags,
  parseGold,
  parseRatings,
  parseTiers,
  promptSnippet,
  rankingAgreement,
  ratingMatrix,
  type RankingRow,
} from './project-agreement.ts';

const R6 = 2 / Math.sqrt(6); // tau-b of [a,b tied, c] against [a, b, c]

function row(itemId: string, authorId: string, tiers: string[][], extra: Partial<RankingRow> = {}): RankingRow {
  return { itemId, authorId, tiers, ratings: {}, flags: {}, createdAt: new Date('2025-01-06T12:00:00Z'), timeSpentMs: null, ...extra };
}

describe('parsing the JSON columns', () => {
  it('keeps what is well-formed and drops the rest', () => {
    expect(parseTiers([['a'], ['b', 3, 'c'], [], 'x'])).toEqual([['a'], ['b', 'c']]);
    expect(parseTiers(null)).toEqual([]);
    expect(parseRatings({ a: { helpful: 4, truthful: 'x' }, b: 2 })).toEqual({ a: { helpful: 4 } });
    expect(parseFlags({ a: ['unsafe', 'unsafe', 1], b: 'x' })).toEqual({ a: ['unsafe'] });
    expect(parseGold({ tiers: [['a'], ['b']], source: 'hh' })).toEqual([['a'], ['b']]);
    expect(parseGold({ tiers: [['a']] })).toBeNull();
    expect(parseGold(null)).toBeNull();
  });
});

describe('ISO weeks', () => {
  it('numbers weeks from the week holding the first Thursday, in the ISO year', () => {
    expect(isoWeek(new Date('2025-01-06T00:00:00Z'))).toBe('2025-W02');
    expect(isoWeek(new Date('2025-01-05T23:59:59Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2024-12-30T10:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2021-01-03T10:00:00Z'))).toBe('2020-W53');
    expect(isoWeek(new Date('2026-12-31T10:00:00Z'))).toBe('2026-W53');
  });
});

describe('one ranking per labeler and item', () => {
  it('keeps the latest', () => {
    const old = row('i', 'u', [['a'], ['b']], { createdAt: new Date('2025-01-01') });
    const fresh = row('i', 'u', [['b'], ['a']], { createdAt: new Date('2025-01-02') });
    expect(latestPerLabeler([fresh, old])).toEqual([fresh]);
  });
});

describe('rating and flag matrices', () => {
  it('puts labelers in rows and (item, candidate) in columns, null where a labeler did not rate', () => {
    const rows = [
      row('i1', 'u1', [['a'], ['b']], { ratings: { a: { helpful: 5 }, b: { helpful: 2 } } }),
      row('i1', 'u2', [['a'], ['b']], { ratings: { a: { helpful: 4 }, b: { helpful: 2 } } }),
      row('i2', 'u2', [['c']], { ratings: { c: { helpful: 3 } } }),
    ];
    const m = ratingMatrix(rows, 'helpful');
    expect(m.coders).toEqual(['u1', 'u2']);
    expect(m.units).toEqual(['i1/a', 'i1/b', 'i2/c']);
    expect(m.data).toEqual([
      [5, 2, null],
      [4, 2, 3],
    ]);
    // i2/c has one value only: it carries no information and is not counted.
    expect(alphaFigure(m, 'ordinal')).toEqual({ alpha: krippendorffAlpha(m.data, 'ordinal'), units: 2, coders: 2 });
    expect(ratingMatrix(rows, 'harmless').units).toEqual([]);
    expect(alphaFigure(ratingMatrix(rows, 'harmless'), 'ordinal')).toEqual({ alpha: null, units: 0, coders: 0 });
  });

  it('is 1 on a dimension where everyone agrees', () => {
    const rows = ['u1', 'u2', 'u3'].map((u) => row('i', u, [['a'], ['b']], { ratings: { a: { truthful: 5 }, b: { truthful: 1 } } }));
    expect(alphaFigure(ratingMatrix(rows, 'truthful'), 'ordinal')).toEqual({ alpha: 1, units: 2, coders: 3 });
  });

  it('codes a flag 0/1 for every labeler who ranked the item, and leaves the others missing', () => {
    const rows = [
      row('x', 'u1', [['a'], ['b']], { flags: { a: ['hallucination'] } }),
      row('x', 'u2', [['a', 'b']], { flags: { a: ['hallucination', 'unsafe'] } }),
      row('y', 'u1', [['a'], ['b']], { flags: { b: ['hallucination'] } }),
      row('y', 'u2', [['b'], ['a']]),
      row('z', 'u3', [['a'], ['b']]),
    ];
    const m = flagMatrix(rows, 'hallucination');
    expect(m.coders).toEqual(['u1', 'u2', 'u3']);
    expect(m.units).toEqual(['x/a', 'x/b', 'y/a', 'y/b', 'z/a', 'z/b']);
    expect(m.data).toEqual([
      [1, 0, 0, 1, null, null],
      [1, 0, 0, 0, null, null],
      [null, null, null, null, 0, 0],
    ]);
    // By hand: n = 8 pairable values, n1 = 3, n0 = 5, one disagreeing unit (o01 = o10 = 1):
    // α = 1 − (n − 1)·D_o / (2·n0·n1) = 1 − 7·2 / 30 = 16/30.
    expect(alphaFigure(m, 'nominal')).toEqual({ alpha: expect.closeTo(16 / 30, 12), units: 4, coders: 2 });
  });
});

describe('tau-b and pairwise agreement between labelers', () => {
  it('compares each pair on the candidates both ranked, by tier index', () => {
    const pairs = pairFigures([
      row('i', 'u2', [['a'], ['b'], ['c']]),
      row('i', 'u1', [['a', 'b'], ['c', 'd']]),
      row('j', 'u1', [['a'], ['b']]),
    ]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ itemId: 'i', a: 'u1', b: 'u2', common: 3, pairwise: 1 });
    expect(pairs[0]!.tau).toBeCloseTo(R6, 12);
  });

  it('dates a pair by the later of its two rankings', () => {
    const [pair] = pairFigures([
      row('i', 'u1', [['a'], ['b']], { createdAt: new Date('2025-01-03') }),
      row('i', 'u2', [['a'], ['b']], { createdAt: new Date('2025-01-09') }),
    ]);
    expect(pair!.at).toEqual(new Date('2025-01-09'));
  });

  it('averages per item first, then over items, skipping undefined pairs', () => {
    const rows = [
      // i1: three labelers, one reversed: pairs 1, −1, −1 → −1/3; pairwise 1, 0, 0 → 1/3.
      row('i1', 'u1', [['a'], ['b'], ['c']]),
      row('i1', 'u2', [['a'], ['b'], ['c']]),
      row('i1', 'u3', [['c'], ['b'], ['a']]),
      // i2: agree → 1.
      row('i2', 'u1', [['a'], ['b']]),
      row('i2', 'u2', [['a'], ['b']]),
      // i3: u2 ties everything: tau and pairwise undefined, the item does not count.
      row('i3', 'u1', [['a'], ['b']]),
      row('i3', 'u2', [['a', 'b']]),
    ];
    const pairs = pairFigures(rows);
    expect(pairs).toHaveLength(5);
    const result = rankingAgreement(pairs);
    expect(result.tau.mean).toBeCloseTo((-1 / 3 + 1) / 2, 12);
    expect(result.tau).toMatchObject({ items: 2, pairs: 4 });
    expect(result.pairwise.mean).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(result.pairwise).toMatchObject({ items: 2, pairs: 4 });
    expect(meanOverItems(pairs, (p) => p.tau).perItem.get('i1')).toEqual({ mean: expect.closeTo(-1 / 3, 12), pairs: 3 });
    expect(rankingAgreement([]).tau).toEqual({ mean: null, items: 0, pairs: 0 });
  });

  it('charts the same figures per ISO week', () => {
    const w02 = new Date('2025-01-07T09:00:00Z');
    const w03 = new Date('2025-01-14T09:00:00Z');
    const pairs = pairFigures([
      row('i1', 'u1', [['a'], ['b']], { createdAt: w02 }),
      row('i1', 'u2', [['b'], ['a']], { createdAt: w02 }),
      row('i2', 'u1', [['a'], ['b'], ['c']], { createdAt: w03 }),
      row('i2', 'u2', [['a', 'b'], ['c']], { createdAt: w03 }),
    ]);
    const weeks = agreementOverTime(pairs);
    expect(weeks.map((w) => w.week)).toEqual(['2025-W02', '2025-W03']);
    expect(weeks[0]).toEqual({ week: '2025-W02', tau: -1, pairwise: 0, items: 1, pairs: 1 });
    expect(weeks[1]).toEqual({ week: '2025-W03', tau: expect.closeTo(R6, 12), pairwise: 1, items: 1, pairs: 1 });
  });
});

describe('gold answers', () => {
  const gold = [['good'], ['bad']];
  it('counts a ranking right only when it puts the chosen answer strictly above the rejected one', () => {
    expect(goldVerdict([['good'], ['x'], ['bad']], gold)).toBe(true);
    expect(goldVerdict([['bad'], ['good']], gold)).toBe(false);
    expect(goldVerdict([['good', 'bad']], gold)).toBe(false);
    expect(goldVerdict([['good'], ['x']], gold)).toBeNull();
  });
});

describe('per labeler', () => {
  it('gives volume, median time, mean tau over their pairs and gold accuracy', () => {
    const rows = [
      row('i1', 'u1', [['a'], ['b'], ['c']], { timeSpentMs: 10_000 }),
      row('i1', 'u2', [['a'], ['b'], ['c']], { timeSpentMs: 40_000 }),
      row('i1', 'u3', [['c'], ['b'], ['a']], { timeSpentMs: 1_000 }),
      row('g', 'u1', [['a'], ['b']], { timeSpentMs: 20_000 }),
      row('g', 'u2', [['b'], ['a']], { timeSpentMs: null }),
      row('g2', 'u1', [['a', 'b']], { timeSpentMs: 60_000 }),
    ];
    const gold = new Map([
      ['g', [['a'], ['b']]],
      ['g2', [['a'], ['b']]],
    ]);
    const figures = labelerFigures(rows, pairFigures(rows), gold);
    expect(figures.map((f) => f.userId)).toEqual(['u1', 'u2', 'u3']);
    // u1: pairs i1/u2 = 1, i1/u3 = −1, g/u2 = −1 → −1/3. Gold: g right, g2 tied → 1 of 2.
    expect(figures[0]).toEqual({
      userId: 'u1',
      rankings: 3,
      medianTimeMs: 20_000,
      agreement: expect.closeTo(-1 / 3, 12),
      pairs: 3,
      gold: { correct: 1, total: 2, accuracy: 0.5 },
    });
    expect(figures[1]).toMatchObject({ rankings: 2, medianTimeMs: 40_000, pairs: 3, gold: { correct: 0, total: 1, accuracy: 0 } });
    expect(figures[1]!.agreement).toBeCloseTo(-1 / 3, 12);
    expect(figures[2]).toMatchObject({ rankings: 1, medianTimeMs: 1_000, agreement: -1, pairs: 2, gold: { correct: 0, total: 0, accuracy: null } });
    // The project's gold accuracy adds the labelers' answers up: 1 right of 3.
    expect(goldTotals(figures)).toEqual({ correct: 1, total: 3, accuracy: 1 / 3 });
    expect(goldTotals([])).toEqual({ correct: 0, total: 0, accuracy: null });
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('lowest-agreement items', () => {
  it('lists items with two or more labelers, lowest mean tau-b first, up to the limit', () => {
    const rows = [
      row('agree', 'u1', [['a'], ['b'], ['c']]),
      row('agree', 'u2', [['a'], ['b'], ['c']]),
      row('reverse', 'u1', [['a'], ['b'], ['c']]),
      row('reverse', 'u2', [['c'], ['b'], ['a']]),
      row('tie', 'u1', [['a', 'b'], ['c']]),
      row('tie', 'u2', [['a'], ['b'], ['c']]),
      row('alone', 'u1', [['a'], ['b']]),
    ];
    const pairs = pairFigures(rows);
    const lowest = lowestAgreement(rows, pairs);
    expect(lowest.map((i) => i.itemId)).toEqual(['reverse', 'tie', 'agree']);
    expect(lowest[0]).toEqual({ itemId: 'reverse', tau: -1, pairwise: 0, labelers: 2, pairs: 1 });
    expect(lowest[1]!.tau).toBeCloseTo(R6, 12);
    expect(lowestAgreement(rows, pairs, 1).map((i) => i.itemId)).toEqual(['reverse']);
  });
});

describe('the whole panel', () => {
  it('ties it together, ignoring earlier duplicates, and lists every known flag', () => {
    const rows = [
      row('i', 'u1', [['a'], ['b']], { ratings: { a: { helpful: 5, truthful: 4, harmless: 5 }, b: { helpful: 1, truthful: 2, harmless: 5 } } }),
      row('i', 'u2', [['a'], ['b']], { ratings: { a: { helpful: 5, truthful: 4, harmless: 5 }, b: { helpful: 1, truthful: 2, harmless: 5 } } }),
      row('i', 'u2', [['b'], ['a']], { createdAt: new Date('2024-01-01') }),
    ];
    const figures = agreementFigures(rows, new Map());
    expect(figures).toMatchObject({ rankings: 2, items: 1, labelers: 2 });
    expect(figures.ratings.helpful).toEqual({ alpha: 1, units: 2, coders: 2 });
    expect(figures.ratings.harmless).toEqual({ alpha: null, units: 2, coders: 2 });
    expect(figures.ranking.tau).toEqual({ mean: 1, items: 1, pairs: 1 });
    expect(figures.flags.map((f) => f.flag)).toEqual(['hallucination', 'unsafe', 'needless_refusal', 'off_topic', 'other']);
    expect(figures.flags[0]).toEqual({ flag: 'hallucination', alpha: null, units: 2, coders: 2, count: 0 });
  });
});

describe('prompt snippets', () => {
  it('shows the last user turn on one line, cut with an ellipsis', () => {
    const messages = [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'reply' },
      { role: 'user', content: 'second\n\nquestion   here' },
    ];
    expect(promptSnippet(messages)).toBe('second question here');
    expect(promptSnippet([{ role: 'user', content: 'x'.repeat(200) }], 10)).toBe(`${'x'.repeat(9)}…`);
    expect(promptSnippet(null)).toBe('');
  });
});
