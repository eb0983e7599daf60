import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFacets, parseAuditFilters, queryAudit } from '../../lib/audit-query.ts';
import { authenticate } from '../../lib/auth/credentials.ts';
import { hashPassword } from '../../lib/auth/password.ts';
import { isThrottled } from '../../lib/auth/throttle.ts';
import type { Db } from '../../lib/db.ts';
import { DomainError } from '../../lib/errors.ts';
import { acceptLink, createInvite, createPasswordReset, describeLink } from '../../lib/people/invites.ts';
import { createInviteInput, createUserInput } from '../../lib/people/schemas.ts';
import { hashToken } from '../../lib/people/tokens.ts';
import { changeRole, createUser, listPeople, setActive } from '../../lib/people/users.ts';
import { claimNext } from '../../lib/queue/claim.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

const DAY = 24 * 60 * 60 * 1000;

/** Awaits a promise that must fail with a DomainError of this code and HTTP status. */
async function expectDomainError(promise: Promise<unknown>, code: string, status: number) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code, status });
}

const tokenOf = (path: string) => path.replace(/^\/invite\//, '');
const signIn = (db: Db, email: string, password: string) => authenticate(db, { email, password }, '10.9.0.1');

describe('people: accounts, links and the audit log', () => {
  let t: TestDatabase;
  let db: Db;
  let admin: { id: string; ip: string };
  /** Every token handed out in this file, to prove none reaches the audit log. */
  const tokens: string[] = [];

  beforeAll(async () => {
    t = await freshDatabase();
    db = t.db;
    const row = await db.user.create({
      data: { email: 'root@people.test', name: 'Root Admin', role: 'ADMIN', passwordHash: await hashPassword('root password') },
    });
    admin = { id: row.id, ip: '10.0.0.7' };
  });
  afterAll(() => t.close());

  const newUser = (email: string, role: 'ADMIN' | 'REVIEWER' | 'LABELER' = 'LABELER', password = 'initial pass') =>
    createUser(db, admin, createUserInput.parse({ name: email.split('@')[0], email, role, password }));

  it('creates a person who can sign in at once, with a lower-case email and an audit row', async () => {
    const user = await newUser('  Ann.Smith@People.TEST ', 'REVIEWER');
    expect(user).toMatchObject({ email: 'ann.smith@people.test', role: 'REVIEWER', active: true });
    expect(user).not.toHaveProperty('passwordHash');
    expect(await signIn(db, 'ann.smith@people.test', 'initial pass')).toMatchObject({ ok: true, user: { role: 'REVIEWER' } });

    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'user.create', entityId: user.id } });
    expect(audit).toMatchObject({ actorId: admin.id, entityType: 'User', ip: '10.0.0.7' });
    expect(audit.after).toMatchObject({ email: 'ann.smith@people.test', role: 'REVIEWER' });
  });

  it('refuses a second account with the same email, whatever its case, with a 409', async () => {
    await newUser('dup@people.test');
    await expectDomainError(newUser('DUP@People.test'), 'email_taken', 409);
    // Even a row stored with capitals before emails were normalised counts.
    await db.user.create({ data: { email: 'Legacy@People.test', name: 'Legacy', passwordHash: 'x' } });
    await expectDomainError(newUser('legacy@people.test'), 'email_taken', 409);
    await expectDomainError(createInvite(db, admin, createInviteInput.parse({ email: 'Dup@people.test' })), 'email_taken', 409);
    expect(await db.user.count({ where: { email: { equals: 'dup@people.test', mode: 'insensitive' } } })).toBe(1);
  });

  it('turns concurrent creates of one email into one account and a 409', async () => {
    const results = await Promise.allSettled([newUser('race@people.test'), newUser('race@people.test'), newUser('RACE@people.test')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'email_taken', status: 409 });
    }
  });

  it('runs an invite round trip: a single-use link stored only as its sha256, accepted with a name and password', async () => {
    const link = await createInvite(db, admin, createInviteInput.parse({ email: 'Invited@People.test', role: 'REVIEWER' }));
    const token = tokenOf(link.path);
    tokens.push(token);
    expect(link.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({ purpose: 'INVITE', email: 'invited@people.test', role: 'REVIEWER' });
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * DAY - 60_000);
    expect(link.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(7 * DAY);

    const stored = await db.invite.findUniqueOrThrow({ where: { id: link.id } });
    expect(stored.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    expect(await describeLink(db, token)).toMatchObject({ status: 'valid', purpose: 'INVITE', email: 'invited@people.test', role: 'REVIEWER' });
    await expectDomainError(acceptLink(db, token, { password: 'a fine password' }), 'invalid_input', 400);

    const accepted = await acceptLink(db, token, { name: 'Ivy Invited', password: 'a fine password' }, '10.0.0.9');
    expect(accepted).toEqual({ purpose: 'INVITE', email: 'invited@people.test' });
    expect(await signIn(db, 'invited@people.test', 'a fine password')).toMatchObject({
      ok: true,
      user: { name: 'Ivy Invited', role: 'REVIEWER' },
    });
    const user = await db.user.findUniqueOrThrow({ where: { email: 'invited@people.test' } });
    expect(await db.auditLog.findFirst({ where: { action: 'user.invite_accept', entityId: user.id, actorId: user.id, ip: '10.0.0.9' } })).not.toBeNull();

    // Single use: a second attempt, even with another password, is refused and changes nothing.
    await expectDomainError(acceptLink(db, token, { name: 'Eve', password: 'another password' }), 'link_used', 409);
    expect(await describeLink(db, token)).toEqual({ status: 'used' });
    expect(await signIn(db, 'invited@people.test', 'a fine password')).toMatchObject({ ok: true });
  });

  it('lets only one of two racing tabs redeem a link', async () => {
    const link = await createInvite(db, admin, createInviteInput.parse({ email: 'racer@people.test' }));
    tokens.push(tokenOf(link.path));
    const results = await Promise.allSettled([
      acceptLink(db, tokenOf(link.path), { name: 'One', password: 'password one' }),
      acceptLink(db, tokenOf(link.path), { name: 'Two', password: 'password two' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db.user.count({ where: { email: 'racer@people.test' } })).toBe(1);
  });

  it('refuses an expired invite and an unknown or malformed token', async () => {
    const link = await createInvite(db, admin, createInviteInput.parse({ email: 'late@people.test', expiresInDays: 2 }));
    const token = tokenOf(link.path);
    tokens.push(token);
    const later = new Date(Date.now() + 2 * DAY + 1000);
    expect(await describeLink(db, token, later)).toEqual({ status: 'expired' });
    await expectDomainError(acceptLink(db, token, { name: 'Late', password: 'too late now' }, null, later), 'link_expired', 409);
    expect(await db.user.count({ where: { email: 'late@people.test' } })).toBe(0);

    const unknown = 'A'.repeat(43);
    expect(await describeLink(db, unknown)).toEqual({ status: 'not_found' });
    await expectDomainError(acceptLink(db, unknown, { name: 'X', password: 'whatever pass' }), 'link_not_found', 404);
    expect(await describeLink(db, 'not-a-token')).toEqual({ status: 'not_found' });
  });

  it('retires an earlier open invite for the same email when a new one is made', async () => {
    const first = await createInvite(db, admin, createInviteInput.parse({ email: 'twice@people.test' }));
    const second = await createInvite(db, admin, createInviteInput.parse({ email: 'twice@people.test', role: 'ADMIN' }));
    tokens.push(tokenOf(first.path), tokenOf(second.path));
    expect(await describeLink(db, tokenOf(first.path))).toEqual({ status: 'expired' });
    expect(await describeLink(db, tokenOf(second.path))).toMatchObject({ status: 'valid', role: 'ADMIN' });
  });

  it('refuses an invite whose email got an account in the meantime', async () => {
    const link = await createInvite(db, admin, createInviteInput.parse({ email: 'meanwhile@people.test' }));
    tokens.push(tokenOf(link.path));
    await newUser('meanwhile@people.test');
    await expectDomainError(acceptLink(db, tokenOf(link.path), { name: 'M', password: 'a password!' }), 'email_taken', 409);
    // The refusal rolled back, so the link is not burnt.
    expect(await describeLink(db, tokenOf(link.path))).toMatchObject({ status: 'valid' });
  });

  it('runs a password reset round trip: the new password works, the old one and the link do not', async () => {
    const user = await newUser('forgot@people.test', 'LABELER', 'old password');
    const link = await createPasswordReset(db, admin, user.id);
    const token = tokenOf(link.path);
    tokens.push(token);
    expect(link).toMatchObject({ purpose: 'PASSWORD_RESET', email: 'forgot@people.test' });
    expect(link.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(DAY);
    expect(await describeLink(db, token)).toMatchObject({ status: 'valid', purpose: 'PASSWORD_RESET', name: 'forgot' });

    // The password rules hold inside the domain function too, and a refused attempt does not burn the link.
    await expectDomainError(acceptLink(db, token, { password: 'short' }), 'invalid_input', 400);
    await expectDomainError(createUser(db, admin, { name: 'S', email: 's@people.test', role: 'LABELER', password: 'short' }), 'invalid_input', 400);
    // Five wrong guesses throttle the email; the reset lifts that.
    for (let i = 0; i < 5; i++) await signIn(db, 'forgot@people.test', `guess ${i}`);
    expect(await isThrottled(db, 'forgot@people.test', '10.9.9.9')).toBe(true);
    expect(await acceptLink(db, token, { password: 'brand new password' })).toEqual({ purpose: 'PASSWORD_RESET', email: 'forgot@people.test' });
    expect(await isThrottled(db, 'forgot@people.test', '10.9.9.9')).toBe(false);
    expect(await signIn(db, 'forgot@people.test', 'brand new password')).toMatchObject({ ok: true });
    expect(await signIn(db, 'forgot@people.test', 'old password')).toEqual({ ok: false, error: 'invalid_credentials' });
    await expectDomainError(acceptLink(db, token, { password: 'third password' }), 'link_used', 409);
    // A reset never creates an account or changes a role.
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ role: 'LABELER', name: 'forgot' });

    expect(await db.auditLog.count({ where: { action: 'user.password_reset', entityId: user.id, actorId: admin.id } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: 'user.password_set', entityId: user.id, actorId: user.id } })).toBe(1);
    await expectDomainError(createPasswordReset(db, admin, 'no-such-user'), 'not_found', 404);
  });

  it('changes a role, logging before and after, and refuses to let an admin demote themselves', async () => {
    const user = await newUser('promote@people.test');
    expect(await changeRole(db, admin, user.id, 'REVIEWER')).toMatchObject({ role: 'REVIEWER' });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ role: 'REVIEWER' });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'user.role', entityId: user.id } });
    expect(audit).toMatchObject({ before: { role: 'LABELER' }, after: { role: 'REVIEWER' }, actorId: admin.id });

    await expectDomainError(changeRole(db, admin, admin.id, 'LABELER'), 'cannot_demote_self', 422);
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ role: 'ADMIN' });
    await expectDomainError(changeRole(db, admin, 'no-such-user', 'LABELER'), 'not_found', 404);
  });

  it('deactivation returns the person’s leases to the pool and locks them out; reactivation lets them back', async () => {
    const labeler = await newUser('leaver@people.test', 'LABELER', 'leaver pass');
    const other = await newUser('stayer@people.test');
    const project = await db.project.create({
      data: {
        slug: 'people-leases',
        name: 'Leases',
        demonstrationsPerItem: 1,
        members: { create: [{ userId: labeler.id }, { userId: other.id }] },
      },
    });
    const guideline = await db.guideline.create({
      data: { projectId: project.id, version: 1, title: 'G', body: 'Be helpful.', publishedAt: new Date() },
    });
    await db.guidelineAck.createMany({ data: [labeler, other].map((u) => ({ userId: u.id, guidelineId: guideline.id })) });
    const [held, done] = await Promise.all(
      ['one', 'two'].map((externalId) =>
        db.item.create({ data: { projectId: project.id, externalId, messages: [{ role: 'user', content: `Question ${externalId}?` }] } }),
      ),
    );
    // The leaver holds a live lease on one item and has submitted the other.
    const claimed = await claimNext(db, labeler.id, project.slug, 'DEMONSTRATION');
    expect(claimed.status).toBe('task');
    const lease = await db.assignment.findFirstOrThrow({ where: { userId: labeler.id } });
    const heldItemId = lease.itemId;
    const submittedItemId = heldItemId === held!.id ? done!.id : held!.id;
    await db.assignment.create({
      data: { itemId: submittedItemId, userId: labeler.id, kind: 'DEMONSTRATION', status: 'SUBMITTED', leaseExpiresAt: new Date() },
    });
    expect((await listPeople(db)).find((p) => p.id === labeler.id)?.activeLeases).toBe(1);
    // While the lease is live, the other labeler finds nothing to do.
    expect(await claimNext(db, other.id, project.slug, 'DEMONSTRATION')).toEqual({ status: 'empty' });

    const result = await setActive(db, admin, labeler.id, false);
    expect(result).toMatchObject({ user: { active: false }, releasedLeases: 1 });
    expect(await db.assignment.findUniqueOrThrow({ where: { id: lease.id } })).toMatchObject({ status: 'EXPIRED' });
    expect(await db.assignment.count({ where: { userId: labeler.id, status: 'SUBMITTED' } })).toBe(1);
    expect((await listPeople(db)).find((p) => p.id === labeler.id)).toMatchObject({ active: false, activeLeases: 0 });

    // The slot is back in the pool: the other labeler gets exactly that item.
    const next = await claimNext(db, other.id, project.slug, 'DEMONSTRATION');
    expect(next.status === 'task' && next.task.item.id).toBe(heldItemId);

    // Locked out: sign-in refuses the right password.
    expect(await signIn(db, 'leaver@people.test', 'leaver pass')).toEqual({ ok: false, error: 'account_disabled' });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'user.deactivate', entityId: labeler.id } });
    expect(audit).toMatchObject({ before: { active: true }, after: { active: false, releasedLeases: 1 } });

    // Deactivating again changes nothing and logs nothing.
    expect(await setActive(db, admin, labeler.id, false)).toMatchObject({ releasedLeases: 0 });
    expect(await db.auditLog.count({ where: { action: 'user.deactivate', entityId: labeler.id } })).toBe(1);

    await setActive(db, admin, labeler.id, true);
    await db.signInFailure.deleteMany();
    expect(await signIn(db, 'leaver@people.test', 'leaver pass')).toMatchObject({ ok: true });
    expect(await db.auditLog.count({ where: { action: 'user.reactivate', entityId: labeler.id } })).toBe(1);
  });

  it('refuses to let an admin deactivate themselves', async () => {
    await expectDomainError(setActive(db, admin, admin.id, false), 'cannot_deactivate_self', 422);
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ active: true });
    expect(await signIn(db, 'root@people.test', 'root password')).toMatchObject({ ok: true });
  });

  it('logs every action, and no audit row holds a password, a password hash or a token', async () => {
    const counts = await db.auditLog.groupBy({ by: ['action'], _count: { _all: true } });
    const actions = Object.fromEntries(counts.map((c) => [c.action, c._count._all]));
    for (const action of [
      'user.create',
      'user.invite',
      'user.invite_accept',
      'user.role',
      'user.deactivate',
      'user.reactivate',
      'user.password_reset',
      'user.password_set',
    ]) {
      expect(actions[action], action).toBeGreaterThan(0);
    }
    // One user.invite row per invite made; one user.create per account made by an admin.
    expect(actions['user.invite']).toBe(await db.invite.count({ where: { purpose: 'INVITE' } }));

    const everything = JSON.stringify(await db.auditLog.findMany());
    const secrets = [
      ...tokens,
      ...tokens.map(hashToken),
      ...(await db.user.findMany({ select: { passwordHash: true } })).map((u) => u.passwordHash).filter((h) => h.length > 1),
      'initial pass',
      'a fine password',
      'brand new password',
      'old password',
      'leaver pass',
    ];
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/passwordHash|tokenHash|\$2[aby]\$/);
  });

  it('filters the audit log by action, actor, entity type and date range, newest first, in pages', async () => {
    const all = await queryAudit(db, {});
    expect(all.entries.length).toBeGreaterThan(10);
    const times = all.entries.map((e) => e.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const roles = await queryAudit(db, parseAuditFilters({ action: 'user.role' }).filters);
    expect(roles.entries.length).toBeGreaterThan(0);
    expect(roles.entries.every((e) => e.action === 'user.role')).toBe(true);

    const byInvited = await queryAudit(db, parseAuditFilters({ actor: 'INVITED@people.test' }).filters);
    expect(byInvited.entries.map((e) => e.action)).toEqual(['user.invite_accept']);
    expect(byInvited.entries[0]?.actor).toEqual({ email: 'invited@people.test', name: 'Ivy Invited' });

    const invites = await queryAudit(db, parseAuditFilters({ entity: 'Invite' }).filters);
    expect(invites.entries.length).toBe(await db.invite.count({ where: { purpose: 'INVITE' } }));
    expect(invites.entries.every((e) => e.action === 'user.invite')).toBe(true);

    const combined = await queryAudit(db, parseAuditFilters({ action: 'user.create', actor: 'root@people.test', entity: 'User' }).filters);
    expect(combined.entries.length).toBe(await db.auditLog.count({ where: { action: 'user.create', actorId: admin.id } }));

    // Dates: move one entry to an old day and find it (and only it) there.
    const moved = all.entries.at(-1)!;
    await db.auditLog.update({ where: { id: moved.id }, data: { createdAt: new Date('2020-06-15T23:59:59.000Z') } });
    const onThatDay = await queryAudit(db, parseAuditFilters({ from: '2020-06-15', to: '2020-06-15' }).filters);
    expect(onThatDay.entries.map((e) => e.id)).toEqual([moved.id]);
    expect((await queryAudit(db, parseAuditFilters({ from: '2020-06-16', to: '2020-06-30' }).filters)).entries).toEqual([]);
    const since = await queryAudit(db, parseAuditFilters({ from: '2020-06-16' }).filters);
    expect(since.entries.length).toBe(all.entries.length - 1);

    // Pages: walk the whole log three entries at a time; every entry once, in order.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await queryAudit(db, { cursor }, 3);
      expect(result.entries.length).toBeLessThanOrEqual(3);
      seen.push(...result.entries.map((e) => e.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    const everyId = (await db.auditLog.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } })).map((r) => r.id);
    expect(seen).toEqual(everyId);

    // A filter and a page marker together.
    const firstRole = await queryAudit(db, { action: 'user.create' }, 1);
    const secondRole = await queryAudit(db, { action: 'user.create', cursor: firstRole.nextCursor! }, 1);
    expect(secondRole.entries[0]?.action).toBe('user.create');
    expect(secondRole.entries[0]?.id).not.toBe(firstRole.entries[0]?.id);

    const facets = await auditFacets(db);
    expect(facets.actions).toContain('user.deactivate');
    expect(facets.entityTypes).toEqual(['Invite', 'User']);
    expect(facets.actors).toContain('root@people.test');
  });
});
