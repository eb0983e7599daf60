import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uuidV4 } from './uuid.ts';

describe('uuidV4', () => {
  it('makes distinct, valid v4 UUIDs (the format submissions are keyed by)', () => {
    const keys = Array.from({ length: 200 }, uuidV4);
    expect(new Set(keys).size).toBe(200);
    for (const key of keys) expect(z.uuid().safeParse(key).success).toBe(true);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
