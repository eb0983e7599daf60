import { recordAudit } from '../audit.ts';
import { hashPassword } from '../auth/password.ts';
import { emailKey } from '../auth/throttle.ts';
import type { Role } from '../auth/roles.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError, invalidInput } from '../errors.ts';
import type { Actor } from './actor.ts';
import { acceptLinkInput, RESET_HOURS, type AcceptLinkInput, type CreateInviteInput } from './schemas.ts';
import { hashToken, isWellFormedToken, linkPath, newToken } from './tokens.ts';
import { emailInUse, emailTaken, isUniqueViolation } from './users.ts';

export type LinkPurpose = 'INVITE' | 'PASSWORD_RESET';

/** A link just made: the token is in `path` and is never stored or shown again. */
export interface IssuedLink {
  id: string;
  purpose: LinkPurpose;
  email: string;
  role: Role;
  expiresAt: Date;
  path: string;
}

/** What a link's page may show about it before it is used. */
export type LinkState =
  | { status: 'valid'; purpose: LinkPurpose; email: string; role: Role; name: string | null; expiresAt: Date }
  | { status: 'expired' | 'used' | 'not_found' };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Retires the open links of one purpose for an address, so only the newest one works. */
async function retireOpenLinks(tx: Queryable, email: string, purpose: LinkPurpose, now: Date) {
  await tx.invite.updateMany({ where: { email, purpose, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
}

/** A single-use invite link for a new account with this email and role (7 days unless asked). */
export async function createInvite(db: Db, actor: Actor, input: CreateInviteInput, now = new Date()): Promise<IssuedLink> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
  return db.$transaction(async (tx) => {
    if (await emailInUse(tx, input.email)) throw emailTaken(input.email);
    await retireOpenLinks(tx, input.email, 'INVITE', now);
    const invite = await tx.invite.create({
      data: { purpose: 'INVITE', email: input.email, role: input.role, tokenHash: hashToken(token), expiresAt, createdById: actor.id },
      select: { id: true, email: true, role: true, expiresAt: true },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      ip: actor.ip,
      action: 'user.invite',
      entityType: 'Invite',
      entityId: invite.id,
      after: { email: invite.email, role: invite.role, expiresAt: invite.expiresAt.toISOString() },
    });
    return { ...invite, purpose: 'INVITE' as const, path: linkPath(token) };
  });
}

/** A single-use link (valid for RESET_HOURS) with which this person sets a new password. */
export async function createPasswordReset(db: Db, actor: Actor, userId: string, now = new Date()): Promise<IssuedLink> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + RESET_HOURS * 60 * 60 * 1000);
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true } });
    if (!user) throw new DomainError('not_found', 'No such person.', 404);
    await retireOpenLinks(tx, user.email, 'PASSWORD_RESET', now);
    const link = await tx.invite.create({
      data: { purpose: 'PASSWORD_RESET', email: user.email, role: user.role, tokenHash: hashToken(token), expiresAt, createdById: actor.id },
      select: { id: true, email: true, role: true, expiresAt: true },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      ip: actor.ip,
      action: 'user.password_reset',
      entityType: 'User',
      entityId: user.id,
      after: { linkId: link.id, expiresAt: link.expiresAt.toISOString() },
    });
    return { ...link, purpose: 'PASSWORD_RESET' as const, path: linkPath(token) };
  });
}

async function findLink(db: Queryable, token: string) {
  if (!isWellFormedToken(token)) return null;
  return db.invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, purpose: true, email: true, role: true, expiresAt: true, usedAt: true },
  });
}

function stateOf(link: { usedAt: Date | null; expiresAt: Date } | null, now: Date): 'valid' | 'expired' | 'used' | 'not_found' {
  if (!link) return 'not_found';
  if (link.usedAt) return 'used';
  if (link.expiresAt <= now) return 'expired';
  return 'valid';
}

/** Whether a link can be used, and for whom: what the page shows before the person sets a password. */
export async function describeLink(db: Db, token: string, now = new Date()): Promise<LinkState> {
  const link = await findLink(db, token);
  const status = stateOf(link, now);
  if (status !== 'valid' || !link) return { status: status === 'valid' ? 'not_found' : status };
  let name: string | null = null;
  if (link.purpose === 'PASSWORD_RESET') {
    const user = await db.user.findFirst({ where: { email: { equals: link.email, mode: 'insensitive' } }, select: { name: true } });
    if (!user) return { status: 'not_found' };
    name = user.name;
  }
  return { status: 'valid', purpose: link.purpose, email: link.email, role: link.role, name, expiresAt: link.expiresAt };
}

const LINK_ERRORS = {
  not_found: () => new DomainError('link_not_found', 'This link is not valid. Ask an admin for a new one.', 404),
  expired: () => new DomainError('link_expired', 'This link has expired. Ask an admin for a new one.', 409),
  used: () => new DomainError('link_used', 'This link has already been used. Ask an admin for a new one if you need it.', 409),
} as const;

const ACCOUNT_EXISTS = () => new DomainError('email_taken', 'An account with this email already exists; sign in instead.', 409);

type FoundLink = NonNullable<Awaited<ReturnType<typeof findLink>>>;

function requireUsable(link: FoundLink | null, now: Date): FoundLink {
  const status = stateOf(link, now);
  if (status !== 'valid' || !link) throw LINK_ERRORS[status === 'valid' ? 'not_found' : status]();
  return link;
}

/**
 * Redeems a link once: an invite creates the account with the chosen name and password, a reset
 * link sets a new password. The link is marked used in the same transaction, and only if it
 * was still unused, so two tabs racing with one link cannot both succeed.
 */
export async function acceptLink(db: Db, token: string, untrusted: AcceptLinkInput, ip: string | null = null, now = new Date()) {
  // The password rules are the point of this function, so they are checked here too, not only at the edge.
  const checked = acceptLinkInput.safeParse(untrusted);
  if (!checked.success) throw invalidInput(checked.error);
  const input = checked.data;
  // Refuse a dead link (or a nameless invite) before spending a bcrypt hash on it; the transaction checks again.
  const preview = requireUsable(await findLink(db, token), now);
  if (preview.purpose === 'INVITE' && !input.name) throw new DomainError('invalid_input', 'name: is required', 400, 'name');
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const link = requireUsable(await findLink(tx, token), now);
      const claimed = await tx.invite.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) throw LINK_ERRORS.used();

      if (link.purpose === 'INVITE') {
        if (!input.name) throw new DomainError('invalid_input', 'name: is required', 400, 'name');
        if (await emailInUse(tx, link.email)) throw ACCOUNT_EXISTS();
        const user = await tx.user.create({
          data: { email: link.email, name: input.name, role: link.role, passwordHash },
          select: { id: true, email: true, name: true, role: true, active: true },
        });
        await recordAudit(tx, {
          actorId: user.id,
          ip,
          action: 'user.invite_accept',
          entityType: 'User',
          entityId: user.id,
          after: { ...user, inviteId: link.id },
        });
        return { purpose: link.purpose, email: user.email };
      }

      const user = await tx.user.findFirst({ where: { email: { equals: link.email, mode: 'insensitive' } }, select: { id: true, email: true } });
      if (!user) throw LINK_ERRORS.not_found();
      // Sessions signed in with the old password end here.
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionsNotBefore: new Date() } });
      // Failed sign-ins with the forgotten password no longer hold the account back.
      await tx.signInFailure.deleteMany({ where: { key: emailKey(user.email) } });
      await recordAudit(tx, {
        actorId: user.id,
        ip,
        action: 'user.password_set',
        entityType: 'User',
        entityId: user.id,
        after: { linkId: link.id },
      });
      return { purpose: link.purpose, email: user.email };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw ACCOUNT_EXISTS();
    throw error;
  }
}
