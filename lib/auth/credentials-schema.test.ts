import { describe, expect, it } from 'vitest';
import { credentialsProblem, isSignInError } from './credentials-schema.ts';

describe('sign-in form validation', () => {
  it('accepts a well-formed email and password', () => {
    expect(credentialsProblem({ email: 'labeler@feedloop.local', password: 'feedloop' })).toBeNull();
  });

  it('names the missing field', () => {
    expect(credentialsProblem({ email: '', password: 'x' })).toBe('email_required');
    expect(credentialsProblem({ email: '   ', password: 'x' })).toBe('email_required');
    expect(credentialsProblem({ email: 'a@b.co', password: '' })).toBe('password_required');
    expect(credentialsProblem({})).toBe('email_required');
  });

  it('names the oversized or malformed field', () => {
    expect(credentialsProblem({ email: `${'a'.repeat(300)}@b.co`, password: 'x' })).toBe('email_too_long');
    expect(credentialsProblem({ email: 'not-an-email', password: 'x' })).toBe('email_invalid');
    expect(credentialsProblem({ email: 'a@b.co', password: '字'.repeat(25) })).toBe('password_too_long');
  });

  it('only treats known codes as sign-in errors', () => {
    expect(isSignInError('throttled')).toBe(true);
    expect(isSignInError('CredentialsSignin')).toBe(false);
    expect(isSignInError(undefined)).toBe(false);
  });
});
