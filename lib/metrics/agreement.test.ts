import { describe, expect, it } from 'vitest';
import { kendallTauB, krippendorffAlpha, pairwiseAgreement } from './agreement.ts';

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders, 12 units.
const _ = null;
const EXAMPLE = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];

describe("Krippendorff's alpha", () => {
  it('reproduces the published values of the reference example at every level', () => {
    expect(krippendorffAlpha(EXAMPLE, 'nominal')).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(EXAMPLE, 'ordinal')).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(EXAMPLE, 'interval')).toBeCloseTo(0.849, 3);
    expect(krippendorffAlpha(EXAMPLE, 'ratio')).toBeCloseTo(0.797, 3);
  });

  it('reproduces the 3-coder nominal example of the English Wikipedia article (0.691)', () => {
    const wikipedia = [
      [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
      [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
      [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
    ];
    expect(krippendorffAlpha(wikipedia, 'nominal')).toBeCloseTo(0.691, 3);
  });

  it('is 1 for perfect agreement and null when nothing varies or nothing pairs', () => {
    expect(krippendorffAlpha([[1, 2, 3], [1, 2, 3]], 'nominal')).toBe(1);
    expect(krippendorffAlpha([[4, 4], [4, 4]], 'interval')).toBeNull();
    expect(krippendorffAlpha([[1, null], [null, 2]], 'nominal')).toBeNull();
    expect(krippendorffAlpha([], 'nominal')).toBeNull();
  });

  it('goes below zero for systematic disagreement', () => {
    expect(krippendorffAlpha([[1, 2, 1, 2], [2, 1, 2, 1]], 'nominal')!).toBeLessThan(0);
  });
});

describe("Kendall's tau-b", () => {
  it('is 1 for the same order and −1 for the reverse', () => {
    expect(kendallTauB([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
  });

  it('corrects for ties (reference value from a standard implementation)', () => {
    expect(kendallTauB([12, 2, 1, 12, 2], [1, 4, 7, 1, 0])).toBeCloseTo(-0.47140452079103173, 12);
  });

  it('is null when one side ties everything, and refuses orderings of different lengths', () => {
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(kendallTauB([1], [1])).toBeNull();
    expect(() => kendallTauB([1, 2], [1])).toThrow(/same items/);
  });
});

describe('pairwise preference agreement', () => {
  it('is the share of untied pairs ordered alike', () => {
    expect(pairwiseAgreement([1, 2, 3], [1, 3, 2])).toBeCloseTo(2 / 3, 10);
    expect(pairwiseAgreement([1, 1, 2], [1, 2, 3])).toBe(1);
    expect(pairwiseAgreement([1, 1], [2, 2])).toBeNull();
  });
});
