import { recordAudit } from '../audit.ts';
import type { Role } from '../auth/roles.ts';
import { hashPassword } from '../auth/password.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { Actor } from './actor.ts';
import { createUserInput, type CreateUserInput } from './schemas.ts';

export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: Date;
  /** Leases the person holds right now (ACTIVE and not yet run out). */
  activeLeases: number;
}

/** Everyone, admins first, then by email; with the leases each one holds now. */
export async function listPeople(db: Db, now = new Date()): Promise<Person[]> {
  const users = await db.user.findMany({
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      active: true,
      createdAt: true,
      _count: { select: { assignments: { where: { status: 'ACTIVE', leaseExpiresAt: { gt: now } } } } },
    },
    orderBy: [{ role: 'asc' }, { email: 'asc' }],
  });
  return users.map(({ _count, ...user }) => ({ ...user, activeLeases: _count.assignments }));
}

/** The fields of a user the audit log keeps: never the password hash. */
const auditedUser = { id: true, email: true, name: true, role: true, active: true } as const;

export function emailTaken(email: string): DomainError {
  return new DomainError('email_taken', `email: ${email} already belongs to an account.`, 409, 'email');
}

/** Whether an account already uses this address, in any letter case. */
export async function emailInUse(db: Queryable, email: string): Promise<boolean> {
  const found = await db.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' } }, select: { id: true } });
  return found !== null;
}

/** Turns the unique-email violation of a concurrent create into the same 409 as the pre-check. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Creates an account with an initial password the admin hands over. */
export async function createUser(db: Db, actor: Actor, untrusted: CreateUserInput) {
  const checked = createUserInput.safeParse(untrusted);
  if (!checked.success) throw invalidInput(checked.error);
  const input = checked.data;
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      if (await emailInUse(tx, input.email)) throw emailTaken(input.email);
      const user = await tx.user.create({
        data: { name: input.name, email: input.email, role: input.role, passwordHash },
        select: auditedUser,
      });
      await recordAudit(tx, { actorId: actor.id, ip: actor.ip, action: 'user.create', entityType: 'User', entityId: user.id, after: user });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(input.email);
    throw error;
  }
}

async function lockUser(tx: Queryable, userId: string) {
  // FOR UPDATE: two admins changing the same person serialise, so "before" in the log is true.
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
  if (rows.length === 0) throw new DomainError('not_found', 'No such person.', 404);
  return tx.user.findUniqueOrThrow({ where: { id: userId }, select: auditedUser });
}

/** Changes a person's role. An admin cannot demote themselves (so an admin always remains). */
export async function changeRole(db: Db, actor: Actor, userId: string, role: Role) {
  return db.$transaction(async (tx) => {
    const before = await lockUser(tx, userId);
    if (before.role === role) return before;
    if (userId === actor.id) {
      throw new DomainError('cannot_demote_self', 'You cannot change your own role; ask another admin.', 422, 'role');
    }
    const after = await tx.user.update({ where: { id: userId }, data: { role }, select: auditedUser });
    await recordAudit(tx, {
      actorId: actor.id,
      ip: actor.ip,
      action: 'user.role',
      entityType: 'User',
      entityId: userId,
      before: { role: before.role },
      after: { role: after.role },
    });
    return after;
  });
}

/**
 * Deactivates or reactivates a person. Deactivating returns every lease they hold to the pool
 * (ACTIVE assignments become EXPIRED); the sign-in check and the per-request guard both read
 * `active`, so they are locked out at once. An admin cannot deactivate themselves.
 */
export async function setActive(db: Db, actor: Actor, userId: string, active: boolean) {
  return db.$transaction(async (tx) => {
    const before = await lockUser(tx, userId);
    if (!active && userId === actor.id) {
      throw new DomainError('cannot_deactivate_self', 'You cannot deactivate your own account; ask another admin.', 422, 'active');
    }
    if (before.active === active) return { user: before, releasedLeases: 0 };
    const user = await tx.user.update({ where: { id: userId }, data: { active }, select: auditedUser });
    let releasedLeases = 0;
    if (!active) {
      const released = await tx.assignment.updateMany({
        where: { userId, status: 'ACTIVE' },
        data: { status: 'EXPIRED' },
      });
      releasedLeases = released.count;
    }
    await recordAudit(tx, {
      actorId: actor.id,
      ip: actor.ip,
      action: active ? 'user.reactivate' : 'user.deactivate',
      entityType: 'User',
      entityId: userId,
      before: { active: before.active },
      after: active ? { active } : { active, releasedLeases },
    });
    return { user, releasedLeases };
  });
}
