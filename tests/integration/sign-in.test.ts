import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../lib/auth/credentials.ts';
import { hashPassword } from '../../lib/auth/password.ts';
import { isThrottled, THROTTLE } from '../../lib/auth/throttle.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

describe('sign-in against the database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
    const passwordHash = await hashPassword('correct horse');
    await t.db.user.createMany({
      data: [
        { email: 'lena@example.com', name: 'Lena', role: 'LABELER', passwordHash },
        { email: 'gone@example.com', name: 'Gone', role: 'LABELER', passwordHash, active: false },
      ],
    });
  });
  afterAll(() => t.close());

  it('signs in with the right password, whatever the case of the email', async () => {
    const result = await authenticate(t.db, { email: ' Lena@Example.com ', password: 'correct horse' }, '10.0.0.1');
    expect(result).toMatchObject({ ok: true, user: { email: 'lena@example.com', role: 'LABELER' } });
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    expect(await authenticate(t.db, { email: 'lena@example.com', password: 'nope' }, '10.0.0.2')).toEqual({
      ok: false,
      error: 'invalid_credentials',
    });
    expect(await authenticate(t.db, { email: 'nobody@example.com', password: 'nope' }, '10.0.0.2')).toEqual({
      ok: false,
      error: 'invalid_credentials',
    });
  });

  it('refuses a deactivated account even with the right password', async () => {
    expect(await authenticate(t.db, { email: 'gone@example.com', password: 'correct horse' }, '10.0.0.3')).toEqual({
      ok: false,
      error: 'account_disabled',
    });
  });

  it('reports malformed input by field without touching the database', async () => {
    expect(await authenticate(t.db, { email: '', password: 'x' }, '10.0.0.4')).toEqual({ ok: false, error: 'email_required' });
    expect(await authenticate(t.db, { email: `${'a'.repeat(250)}@x.io`, password: 'x' }, '10.0.0.4')).toEqual({
      ok: false,
      error: 'email_too_long',
    });
    expect(await authenticate(t.db, { email: 'a@b.co', password: 'p'.repeat(73) }, '10.0.0.4')).toEqual({
      ok: false,
      error: 'password_too_long',
    });
    expect(await authenticate(t.db, null, '10.0.0.4')).toMatchObject({ ok: false });
  });

  it('throttles an email after repeated failures, across addresses, and a success resets it', async () => {
    const email = 'lena@example.com';
    await t.db.signInFailure.deleteMany();
    for (let i = 0; i < THROTTLE.perEmail; i++) {
      expect(await isThrottled(t.db, email, `10.1.0.${i}`)).toBe(false);
      await authenticate(t.db, { email, password: 'wrong' }, `10.1.0.${i}`);
    }
    expect(await isThrottled(t.db, email, '10.9.9.9')).toBe(true);
    expect(await isThrottled(t.db, 'other@example.com', '10.9.9.9')).toBe(false);
    // Failures older than the window no longer count.
    const later = new Date(Date.now() + (THROTTLE.windowMinutes + 1) * 60_000);
    expect(await isThrottled(t.db, email, '10.9.9.9', later)).toBe(false);
    await authenticate(t.db, { email, password: 'correct horse' }, '10.9.9.9');
    expect(await isThrottled(t.db, email, '10.9.9.9')).toBe(false);
  });

  it('throttles an address that tries many emails', async () => {
    await t.db.signInFailure.deleteMany();
    for (let i = 0; i < THROTTLE.perIp; i++) {
      await authenticate(t.db, { email: `guess${i}@example.com`, password: 'x' }, '10.2.0.1');
    }
    expect(await isThrottled(t.db, 'fresh@example.com', '10.2.0.1')).toBe(true);
    expect(await isThrottled(t.db, 'fresh@example.com', '10.2.0.2')).toBe(false);
  });
});
