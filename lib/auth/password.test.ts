import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('feedloop');
    expect(hash).not.toContain('feedloop');
    expect(hash).toMatch(/^\$2[aby]\$11\$/);
    expect(await verifyPassword('feedloop', hash)).toBe(true);
    expect(await verifyPassword('Feedloop', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('handles non-ASCII passwords', async () => {
    const hash = await hashPassword('密码🔑');
    expect(await verifyPassword('密码🔑', hash)).toBe(true);
    expect(await verifyPassword('密码', hash)).toBe(false);
  });

  it('refuses passwords longer than bcrypt can tell apart', async () => {
    await expect(hashPassword('x'.repeat(73))).rejects.toThrow(/72 bytes/);
    const hash = await hashPassword('x'.repeat(72));
    // Without the limit, bcrypt would accept any suffix after byte 72.
    expect(await verifyPassword(`${'x'.repeat(72)}y`, hash)).toBe(false);
  });
});
