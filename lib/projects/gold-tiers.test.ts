import { describe, expect, it } from 'vitest';
import { invalidInput } from '../errors.ts';
import { choicesFromTiers, goldInput, goldInputFor, tiersFromChoices } from './gold-tiers.ts';

const fieldOf = (result: { success: boolean; error?: Parameters<typeof invalidInput>[0] }) => (result.success ? null : invalidInput(result.error!).field);

describe('reference rankings', () => {
  const answers = ['a', 'b', 'c', 'd'];

  it('accept tiers of the item’s own answers, ties and left-out answers included', () => {
    expect(goldInputFor(answers).safeParse({ tiers: [['c'], ['a', 'b']] }).success).toBe(true);
  });

  it('need at least two tiers, none of them empty', () => {
    const one = goldInput.safeParse({ tiers: [['a', 'b']] });
    expect(fieldOf(one)).toBe('tiers');
    expect(invalidInput(one.error!).message).toMatch(/^tiers: needs at least two tiers/);
    expect(fieldOf(goldInput.safeParse({ tiers: [['a'], []] }))).toBe('tiers.1');
    expect(fieldOf(goldInput.safeParse({ tiers: 'a>b' }))).toBe('tiers');
    expect(fieldOf(goldInput.safeParse({}))).toBe('tiers');
  });

  it('name the id that is not an answer of the item, or that appears twice', () => {
    const stranger = goldInputFor(answers).safeParse({ tiers: [['a'], ['b', 'zzz']] });
    expect(fieldOf(stranger)).toBe('tiers.1.1');
    expect(invalidInput(stranger.error!).message).toBe('tiers.1.1: "zzz" is not an answer of this item');
    const twice = goldInputFor(answers).safeParse({ tiers: [['a', 'b'], ['a']] });
    expect(fieldOf(twice)).toBe('tiers.1.0');
    expect(invalidInput(twice.error!).message).toContain('"a" is in more than one place');
  });
});

describe('tier choices in the editor', () => {
  const order = ['a', 'b', 'c', 'd'];

  it('close gaps between tier numbers and keep the listed order inside a tier', () => {
    expect(tiersFromChoices(order, { a: 3, b: 1, c: 3, d: null })).toEqual([['b'], ['a', 'c']]);
    expect(tiersFromChoices(order, { a: null, b: null, c: null, d: null })).toEqual([]);
  });

  it('show stored tiers again, ignoring ids that are not answers', () => {
    expect(choicesFromTiers(order, [['c'], ['a', 'x']])).toEqual({ a: 2, b: null, c: 1, d: null });
    expect(choicesFromTiers(order, null)).toEqual({ a: null, b: null, c: null, d: null });
    expect(tiersFromChoices(order, choicesFromTiers(order, [['d'], ['b', 'c'], ['a']]))).toEqual([['d'], ['b', 'c'], ['a']]);
  });
});
