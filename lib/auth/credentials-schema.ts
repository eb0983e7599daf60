import { z } from 'zod';

// Shared by the sign-in form (instant feedback) and the server (the real check).
export const MAX_EMAIL_LENGTH = 254;
// bcrypt ignores input past 72 bytes, so longer passwords are refused rather than truncated.
export const MAX_PASSWORD_BYTES = 72;

const utf8Length = (value: string) => new TextEncoder().encode(value).length;

export const credentialsSchema = z.object({
  email: z
    .string({ error: 'email_required' })
    .trim()
    .min(1, { error: 'email_required' })
    .max(MAX_EMAIL_LENGTH, { error: 'email_too_long' })
    .pipe(z.email({ error: 'email_invalid' })),
  password: z
    .string({ error: 'password_required' })
    .min(1, { error: 'password_required' })
    .refine((value) => utf8Length(value) <= MAX_PASSWORD_BYTES, { error: 'password_too_long' }),
});

/** Error codes a sign-in can end with; the login page translates each one. */
export const SIGN_IN_ERRORS = [
  'email_required',
  'email_too_long',
  'email_invalid',
  'password_required',
  'password_too_long',
  'invalid_credentials',
  'account_disabled',
  'throttled',
] as const;
export type SignInError = (typeof SIGN_IN_ERRORS)[number];

export function isSignInError(value: unknown): value is SignInError {
  return typeof value === 'string' && (SIGN_IN_ERRORS as readonly string[]).includes(value);
}

/** The first problem with the input, as a translatable code, or null when it is well-formed. */
export function credentialsProblem(input: unknown): SignInError | null {
  const parsed = credentialsSchema.safeParse(input);
  return parsed.success ? null : (parsed.error.issues[0]!.message as SignInError);
}
