import type { Db } from '../db.ts';
import { credentialsSchema, type SignInError } from './credentials-schema.ts';
import { dummyHash, verifyPassword } from './password.ts';
import type { Role } from './roles.ts';
import { clearFailures, recordFailure } from './throttle.ts';

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string | null;
}

export type SignInResult = { ok: true; user: SignedInUser } | { ok: false; error: SignInError };

/**
 * Checks an email and password. A wrong password, an unknown email and a disabled account
 * count towards the sign-in throttle (which the sign-in route checks before calling this).
 */
export async function authenticate(db: Db, input: unknown, ip: string): Promise<SignInResult> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message as SignInError };
  const email = parsed.data.email.toLowerCase();

  const user = await db.user.findUnique({ where: { email } });
  const passwordOk = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !passwordOk) {
    await recordFailure(db, email, ip);
    return { ok: false, error: 'invalid_credentials' };
  }
  if (!user.active) {
    await recordFailure(db, email, ip);
    return { ok: false, error: 'account_disabled' };
  }
  await clearFailures(db, email);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale } };
}
