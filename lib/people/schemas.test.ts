import { describe, expect, it } from 'vitest';
import { acceptLinkInput, changeRoleInput, createInviteInput, createUserInput, passwordProblem, setActiveInput } from './schemas.ts';

describe('new passwords', () => {
  it('need 8 characters and at most 72 bytes', () => {
    expect(passwordProblem('')).toBe('password_too_short');
    expect(passwordProblem('seven77')).toBe('password_too_short');
    expect(passwordProblem('eight888')).toBeNull();
    expect(passwordProblem('p'.repeat(72))).toBeNull();
    expect(passwordProblem('p'.repeat(73))).toBe('password_too_long');
  });

  it('count characters for the minimum and UTF-8 bytes for the maximum', () => {
    // Eight CJK characters are 24 bytes: long enough, and well under the limit.
    expect(passwordProblem('密码密码密码密码')).toBeNull();
    expect(passwordProblem('密码密码密码密')).toBe('password_too_short');
    // 25 three-byte characters are 75 bytes: bcrypt would silently drop the tail, so refuse.
    expect(passwordProblem('密'.repeat(25))).toBe('password_too_long');
    expect(passwordProblem('密'.repeat(24))).toBeNull();
  });
});

describe('creating a person', () => {
  it('stores the email lower-case and trimmed, and defaults the role to labeler', () => {
    expect(createUserInput.parse({ name: ' Ann ', email: '  Ann@Example.COM ', password: 'long enough' })).toEqual({
      name: 'Ann',
      email: 'ann@example.com',
      role: 'LABELER',
      password: 'long enough',
    });
  });

  it('names the field that is wrong', () => {
    const problems = (input: unknown) => {
      const parsed = createUserInput.safeParse(input);
      return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
    };
    expect(problems({ name: '', email: 'a@b.co', password: 'long enough' })).toEqual(['name']);
    expect(problems({ name: 'A', email: 'not an email', password: 'long enough' })).toEqual(['email']);
    expect(problems({ name: 'A', email: 'a@b.co', password: 'short' })).toEqual(['password']);
    expect(problems({ name: 'A', email: 'a@b.co', password: 'long enough', role: 'OWNER' })).toEqual(['role']);
  });
});

describe('invites', () => {
  it('last 7 days unless asked, between 1 and 30', () => {
    expect(createInviteInput.parse({ email: 'New@Example.com' })).toEqual({ email: 'new@example.com', role: 'LABELER', expiresInDays: 7 });
    expect(createInviteInput.parse({ email: 'a@b.co', role: 'REVIEWER', expiresInDays: '2' }).expiresInDays).toBe(2);
    expect(createInviteInput.safeParse({ email: 'a@b.co', expiresInDays: 0 }).success).toBe(false);
    expect(createInviteInput.safeParse({ email: 'a@b.co', expiresInDays: 31 }).success).toBe(false);
    expect(createInviteInput.safeParse({ email: 'a@b.co', expiresInDays: 1.5 }).success).toBe(false);
  });

  it('are accepted with a password and, for invites, a name', () => {
    expect(acceptLinkInput.parse({ name: ' Bo ', password: 'long enough' })).toEqual({ name: 'Bo', password: 'long enough' });
    expect(acceptLinkInput.parse({ password: 'long enough' })).toEqual({ password: 'long enough' });
    expect(acceptLinkInput.safeParse({ password: 'short' }).success).toBe(false);
    expect(acceptLinkInput.safeParse({ name: '   ', password: 'long enough' }).success).toBe(false);
  });
});

describe('role and active changes', () => {
  it('take only known roles and a real boolean', () => {
    expect(changeRoleInput.parse({ role: 'ADMIN' })).toEqual({ role: 'ADMIN' });
    expect(changeRoleInput.safeParse({ role: 'admin' }).success).toBe(false);
    expect(setActiveInput.parse({ active: false })).toEqual({ active: false });
    expect(setActiveInput.safeParse({ active: 'false' }).success).toBe(false);
  });
});
