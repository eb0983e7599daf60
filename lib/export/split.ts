import crypto from 'node:crypto';

export type Split = 'train' | 'test';

/**
 * Deterministic train/test assignment from a hash of the seed and the item id: the same seed
 * always gives the same split, and every row of an item lands in the same file.
 */
export function splitOf(itemId: string, seed: number, testFraction: number): Split {
  if (testFraction <= 0) return 'train';
  const digest = crypto.createHash('sha256').update(`${seed}:${itemId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < testFraction ? 'test' : 'train';
}
