import { z } from 'zod';
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_BYTES } from '../auth/credentials-schema.ts';
import { ROLES } from '../auth/roles.ts';

// Shared by the admin forms and the invite page (instant feedback) and the server (the real check).
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_NAME_LENGTH = 120;
export const INVITE_DAYS_DEFAULT = 7;
export const INVITE_DAYS_MAX = 30;
export const RESET_HOURS = 24;

export type PasswordProblem = 'password_too_short' | 'password_too_long';

/** Why a new password is refused, as a translatable code, or null when it is acceptable. */
export function passwordProblem(password: string): PasswordProblem | null {
  // Counted in characters (what a person sees) for the minimum, in UTF-8 bytes for bcrypt's maximum.
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'password_too_short';
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) return 'password_too_long';
  return null;
}

const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  password_too_short: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
  password_too_long: `must be at most ${MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest)`,
};

export const passwordSchema = z.string({ error: 'is required' }).superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: PASSWORD_MESSAGES[problem] });
});

/** Emails are unique whatever their case, so they are stored lower-case. */
export const emailSchema = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`)
  .toLowerCase()
  .pipe(z.email('is not an email address'));

export const nameSchema = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });

export const createUserInput = z.object({
  name: nameSchema,
  email: emailSchema,
  role: roleSchema.default('LABELER'),
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const createInviteInput = z.object({
  email: emailSchema,
  role: roleSchema.default('LABELER'),
  expiresInDays: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(INVITE_DAYS_MAX, `must be at most ${INVITE_DAYS_MAX}`)
    .default(INVITE_DAYS_DEFAULT),
});
export type CreateInviteInput = z.infer<typeof createInviteInput>;

export const changeRoleInput = z.object({ role: roleSchema });
export const setActiveInput = z.object({ active: z.boolean({ error: 'must be true or false' }) });

/** What the person opening a link sends: a name (invites only) and their new password. */
export const acceptLinkInput = z.object({
  name: nameSchema.optional(),
  password: passwordSchema,
});
export type AcceptLinkInput = z.infer<typeof acceptLinkInput>;
