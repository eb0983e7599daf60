import { describe, expect, it } from 'vitest';
import { hashToken, isWellFormedToken, linkPath, newToken } from './tokens.ts';

describe('link tokens', () => {
  it('are 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, newToken));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isWellFormedToken(token)).toBe(true);
    }
  });

  it('are stored as their sha256 in hex, never as themselves', () => {
    const token = newToken();
    const hash = hashToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashToken(token));
    expect(hash).not.toContain(token);
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuse look-ups for anything that is not a token of ours', () => {
    for (const bad of ['', 'short', `${newToken()}x`, '../../etc/passwd'.padEnd(43, 'a'), 'a'.repeat(42) + '=']) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });

  it('open on the invite page', () => {
    expect(linkPath('abc')).toBe('/invite/abc');
  });
});
