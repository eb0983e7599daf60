import crypto from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demonstrationInput, rankingInput } from '../../lib/annotation/schemas.ts';
import { submitDemonstration, submitRanking } from '../../lib/annotation/submit.ts';
import { DomainError } from '../../lib/errors.ts';
import { acknowledgeGuideline, publishGuideline } from '../../lib/guidelines/gate.ts';
import { claimNext, expireLeases } from '../../lib/queue/claim.ts';
import { skipTask } from '../../lib/queue/skip.ts';
import type { NextTask, Task } from '../../lib/queue/types.ts';
import type { Db } from '../../lib/db.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

// ---------------------------------------------------------------------------------------------
// Helpers: a small project built directly in the database, so every count in a test is exact.
// ---------------------------------------------------------------------------------------------

const GUIDELINE_V1 = '# Guideline\n\n- Be helpful.\n- Be truthful.\n- Be harmless.';
const T0 = new Date('2031-03-04T09:00:00.000Z');
const minutesAfter = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

interface Fixture {
  project: { id: string; slug: string };
  guideline: { id: string; version: number };
  admin: { id: string };
  users: { id: string }[];
  items: { id: string; candidateIds: string[] }[];
}

interface FixtureOptions {
  slug?: string;
  users?: number;
  items?: number;
  candidates?: number;
  demonstrationsPerItem?: number;
  rankingsPerItem?: number;
  candidatesPerRanking?: number;
  leaseMinutes?: number;
  status?: 'OPEN' | 'PAUSED' | 'CLOSED';
  /** Whether the labelers acknowledged guideline v1 (default true). */
  acknowledged?: boolean;
  /** Whether the project has a published guideline v1 at all (default true). */
  guideline?: boolean;
}

async function createFixture(db: Db, options: FixtureOptions = {}): Promise<Fixture> {
  const slug = options.slug ?? 'queue';
  const admin = await db.user.create({
    data: { email: `admin@${slug}.test`, name: 'Admin', passwordHash: 'x', role: 'ADMIN' },
  });
  const users = [];
  for (let i = 0; i < (options.users ?? 2); i++) {
    users.push(await db.user.create({ data: { email: `labeler${i}@${slug}.test`, name: `Labeler ${i}`, passwordHash: 'x' } }));
  }
  const project = await db.project.create({
    data: {
      slug,
      name: `Project ${slug}`,
      demonstrationsPerItem: options.demonstrationsPerItem ?? 1,
      rankingsPerItem: options.rankingsPerItem ?? 1,
      candidatesPerRanking: options.candidatesPerRanking ?? 4,
      leaseMinutes: options.leaseMinutes ?? 30,
      status: options.status ?? 'OPEN',
      members: {
        create: [{ userId: admin.id, role: 'ADMIN' }, ...users.map((u) => ({ userId: u.id, role: 'LABELER' as const }))],
      },
    },
  });
  const guideline = await db.guideline.create({
    data: {
      projectId: project.id,
      version: 1,
      title: 'Guideline',
      body: GUIDELINE_V1,
      publishedAt: options.guideline === false ? null : T0,
      authorId: admin.id,
    },
  });
  if (options.acknowledged !== false && options.guideline !== false) {
    await db.guidelineAck.createMany({ data: users.map((u) => ({ userId: u.id, guidelineId: guideline.id })) });
  }
  const items = [];
  for (let i = 0; i < (options.items ?? 1); i++) {
    const item = await db.item.create({
      data: {
        projectId: project.id,
        externalId: `item-${i}`,
        messages: [{ role: 'user', content: `Question ${i}?` }],
        candidates: {
          create: Array.from({ length: options.candidates ?? 4 }, (_, j) => ({
            content: `Answer ${j} to question ${i}`,
            model: `secret-model-${j}`,
          })),
        },
      },
      include: { candidates: { select: { id: true } } },
    });
    items.push({ id: item.id, candidateIds: item.candidates.map((c) => c.id) });
  }
  return { project, guideline, admin, users, items };
}

function taskOf(result: NextTask): Task {
  if (result.status !== 'task') throw new Error(`expected a task, got "${result.status}"`);
  return result.task;
}

/** Awaits a promise that must fail with a DomainError of this code and HTTP status. */
async function expectDomainError(promise: Promise<unknown>, code: string, status: number) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code, status });
}

function demonstration(reply = 'An ideal reply.') {
  return demonstrationInput.parse({ clientKey: crypto.randomUUID(), reply });
}

/** A valid ranking of the candidates a task shows: one per tier in the order shown, all rated 3. */
function rankingFor(task: Task) {
  return rankingInput.parse({
    clientKey: crypto.randomUUID(),
    tiers: task.candidates.map((c) => [c.id]),
    ratings: Object.fromEntries(task.candidates.map((c) => [c.id, { helpful: 3, truthful: 3, harmless: 3 }])),
  });
}

/** Resolves once `count` statements on the database are waiting for a lock (or `done` settles first). */
async function lockWaiters(client: pg.Client, count: number, done?: Promise<unknown>) {
  let settled = false;
  void done?.finally(() => (settled = true));
  for (let i = 0; i < 500 && !settled; i++) {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted');
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!settled) throw new Error(`no ${count} lock waiter(s) after 5 s`);
}

// ---------------------------------------------------------------------------------------------

describe('labeling work queue', () => {
  let t: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    t = await freshDatabase();
    db = t.db;
  });
  afterEach(() => t.close());

  it('gives 10 slots to exactly 10 of 20 concurrent claimers, never one item twice', async () => {
    const f = await createFixture(db, { users: 20, items: 10, demonstrationsPerItem: 1 });

    const results = await Promise.all(f.users.map((u) => claimNext(db, u.id, f.project.slug, 'DEMONSTRATION', T0)));

    const tasks = results.filter((r) => r.status === 'task').map(taskOf);
    expect(tasks).toHaveLength(10);
    expect(results.filter((r) => r.status === 'empty')).toHaveLength(10);
    expect(new Set(tasks.map((task) => task.item.id)).size).toBe(10);
    expect(new Set(tasks.map((task) => task.item.id))).toEqual(new Set(f.items.map((i) => i.id)));
    expect(await db.assignment.count({ where: { status: 'ACTIVE' } })).toBe(10);
    expect(await db.assignment.count()).toBe(10);
  });

  it('fills ranking overlap k = 3 exactly when 5 labelers claim and submit until the queue is empty', async () => {
    const f = await createFixture(db, { users: 5, items: 6, candidates: 4, rankingsPerItem: 3 });

    // Rounds of concurrent claim-and-submit, until one round finds the queue empty for everyone.
    let rounds = 0;
    for (;;) {
      const outcomes = await Promise.all(
        f.users.map(async (u) => {
          const result = await claimNext(db, u.id, f.project.slug, 'RANKING', T0);
          if (result.status !== 'task') return result.status;
          expect(result.task.candidates).toHaveLength(4);
          await submitRanking(db, u.id, result.task.assignmentId, rankingFor(result.task), T0);
          return 'submitted';
        }),
      );
      if (outcomes.every((o) => o === 'empty')) break;
      expect(++rounds).toBeLessThan(30);
    }

    const rankings = await db.ranking.findMany({ select: { itemId: true, authorId: true } });
    expect(rankings).toHaveLength(6 * 3);
    for (const item of f.items) {
      expect(rankings.filter((r) => r.itemId === item.id)).toHaveLength(3);
    }
    const pairs = rankings.map((r) => `${r.itemId}/${r.authorId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(await db.assignment.count({ where: { kind: 'RANKING', status: { not: 'SUBMITTED' } } })).toBe(0);
  });

  it('hands back the same assignment on a re-request while the lease is live (a reload burns no work)', async () => {
    const f = await createFixture(db, { items: 3, leaseMinutes: 30 });
    const [user] = f.users;

    const first = taskOf(await claimNext(db, user!.id, f.project.slug, 'DEMONSTRATION', T0));
    const again = taskOf(await claimNext(db, user!.id, f.project.slug, 'DEMONSTRATION', minutesAfter(T0, 29)));

    expect(again.assignmentId).toBe(first.assignmentId);
    expect(again.item.id).toBe(first.item.id);
    expect(await db.assignment.count()).toBe(1);
  });

  it('returns an expired lease’s slot to the pool: the late submit is refused once another labeler took it', async () => {
    const f = await createFixture(db, { users: 2, items: 1, leaseMinutes: 10 });
    const [first, second] = f.users;

    const held = taskOf(await claimNext(db, first!.id, f.project.slug, 'DEMONSTRATION', T0));
    expect(held.leaseExpiresAt).toBe(minutesAfter(T0, 10).toISOString());

    // While the lease is live, the only slot is taken.
    expect(await claimNext(db, second!.id, f.project.slug, 'DEMONSTRATION', minutesAfter(T0, 9))).toEqual({ status: 'empty' });

    // Once it ran out, the other labeler gets the slot.
    const late = minutesAfter(T0, 11);
    const taken = taskOf(await claimNext(db, second!.id, f.project.slug, 'DEMONSTRATION', late));
    expect(taken.item.id).toBe(held.item.id);

    await expectDomainError(submitDemonstration(db, first!.id, held.assignmentId, demonstration(), late), 'slot_taken', 409);
    expect(await db.demonstration.count()).toBe(0);

    // The labeler who holds the slot now can submit.
    await submitDemonstration(db, second!.id, taken.assignmentId, demonstration(), late);
    expect(await db.demonstration.count()).toBe(1);
  });

  it('never lets a late submit and a new claim both take the same expired slot', async () => {
    const f = await createFixture(db, { users: 2, items: 1, leaseMinutes: 10, guideline: false });
    const [first, second] = f.users;
    const [item] = f.items;
    const held = taskOf(await claimNext(db, first!.id, f.project.slug, 'DEMONSTRATION', T0));
    const late = minutesAfter(T0, 11);
    // Any claim anywhere sweeps expired leases, so by the time the late submit arrives its row says EXPIRED.
    await expireLeases(db, late);

    // Force the interleaving a busy server produces by chance: the late submit has checked that its
    // slot is free and is about to write when a claimer asks for that slot. Another connection locks
    // the acknowledgement table, which the submit reads right after that check (and the claim never
    // reads in a project without a guideline), so the submit waits exactly there.
    const input = demonstration();
    const blocker = new pg.Client({ connectionString: t.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "GuidelineAck" IN ACCESS EXCLUSIVE MODE');
      const submitting = submitDemonstration(db, first!.id, held.assignmentId, input, late).then(
        () => 'submitted',
        (e: DomainError) => e.code,
      );
      await lockWaiters(blocker, 1, submitting);
      const claiming = claimNext(db, second!.id, f.project.slug, 'DEMONSTRATION', late);
      await lockWaiters(blocker, 2, claiming);
      await blocker.query('ROLLBACK');
      const [submitted, claimed] = await Promise.all([submitting, claiming]);

      // Whichever wins, the item's single slot has exactly one holder.
      const holders = await db.assignment.findMany({
        where: { itemId: item!.id, OR: [{ status: 'SUBMITTED' }, { status: 'ACTIVE', leaseExpiresAt: { gt: late } }] },
        select: { userId: true, status: true },
      });
      expect({ submitted, claimed: claimed.status, holders }).toEqual(
        submitted === 'submitted'
          ? { submitted, claimed: 'empty', holders: [{ userId: first!.id, status: 'SUBMITTED' }] }
          : { submitted: 'slot_taken', claimed: 'task', holders: [{ userId: second!.id, status: 'ACTIVE' }] },
      );
    } finally {
      await blocker.end();
    }
  });

  it('accepts a late submit when nobody took the slot, even after the lease was marked expired', async () => {
    const f = await createFixture(db, { users: 2, items: 2, leaseMinutes: 10 });
    const [first, other] = f.users;

    const held = taskOf(await claimNext(db, first!.id, f.project.slug, 'DEMONSTRATION', T0));
    const late = minutesAfter(T0, 60);
    // Someone else's claim (of another kind) sweeps expired leases; the demonstration slot stays free.
    taskOf(await claimNext(db, other!.id, f.project.slug, 'RANKING', late));
    expect((await db.assignment.findUniqueOrThrow({ where: { id: held.assignmentId } })).status).toBe('EXPIRED');

    const submitted = await submitDemonstration(db, first!.id, held.assignmentId, demonstration(), late);

    expect(submitted.duplicate).toBe(false);
    const assignment = await db.assignment.findUniqueOrThrow({ where: { id: held.assignmentId } });
    expect(assignment.status).toBe('SUBMITTED');
    expect(await db.demonstration.count({ where: { assignmentId: held.assignmentId } })).toBe(1);
  });

  it('never offers a skipped item to the same labeler again for that kind, but offers it to others', async () => {
    const f = await createFixture(db, { users: 2, items: 1, demonstrationsPerItem: 2, rankingsPerItem: 1 });
    const [skipper, other] = f.users;
    const [item] = f.items;

    const skipped = taskOf(await claimNext(db, skipper!.id, f.project.slug, 'DEMONSTRATION', T0));
    expect(await skipTask(db, skipper!.id, skipped.assignmentId, 'I do not know this topic', T0)).toEqual({ skipped: true });

    // A free slot remains, but not for the one who skipped, not even a day later.
    expect(await claimNext(db, skipper!.id, f.project.slug, 'DEMONSTRATION', T0)).toEqual({ status: 'empty' });
    expect(await claimNext(db, skipper!.id, f.project.slug, 'DEMONSTRATION', minutesAfter(T0, 24 * 60))).toEqual({ status: 'empty' });
    // The skip is per kind: the same item can still be ranked by them.
    expect(taskOf(await claimNext(db, skipper!.id, f.project.slug, 'RANKING', T0)).item.id).toBe(item!.id);
    // Another labeler gets it.
    expect(taskOf(await claimNext(db, other!.id, f.project.slug, 'DEMONSTRATION', T0)).item.id).toBe(item!.id);

    const row = await db.assignment.findUniqueOrThrow({ where: { id: skipped.assignmentId } });
    expect(row).toMatchObject({ status: 'SKIPPED', skipReason: 'I do not know this topic' });
  });

  it('refuses to skip someone else’s assignment with no_lease and leaves it untouched', async () => {
    const f = await createFixture(db, { users: 2, items: 1 });
    const [owner, intruder] = f.users;
    const task = taskOf(await claimNext(db, owner!.id, f.project.slug, 'DEMONSTRATION', T0));

    await expectDomainError(skipTask(db, intruder!.id, task.assignmentId, 'not mine', T0), 'no_lease', 409);

    const row = await db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } });
    expect(row).toMatchObject({ status: 'ACTIVE', skipReason: null, userId: owner!.id });
  });

  it('answers 403 not_a_member to a labeler outside the project and writes nothing', async () => {
    const f = await createFixture(db, { items: 2 });
    const outsider = await db.user.create({ data: { email: 'outsider@elsewhere.test', name: 'Out', passwordHash: 'x' } });
    await db.guidelineAck.create({ data: { userId: outsider.id, guidelineId: f.guideline.id } });

    await expectDomainError(claimNext(db, outsider.id, f.project.slug, 'DEMONSTRATION', T0), 'not_a_member', 403);
    await expectDomainError(claimNext(db, outsider.id, f.project.slug, 'RANKING', T0), 'not_a_member', 403);
    // A slug that does not exist looks the same, so outsiders learn nothing.
    await expectDomainError(claimNext(db, outsider.id, 'no-such-project', 'DEMONSTRATION', T0), 'not_a_member', 403);

    expect(await db.assignment.count()).toBe(0);
  });

  it('gates work on the latest published guideline, showing what changed since the acknowledged version', async () => {
    const f = await createFixture(db, { users: 2, items: 2, acknowledged: false });
    const [newcomer, veteran] = f.users;
    const slug = f.project.slug;
    await db.guidelineAck.create({ data: { userId: veteran!.id, guidelineId: f.guideline.id } });

    // Never acknowledged anything: must read v1, nothing to diff against.
    const gate = await claimNext(db, newcomer!.id, slug, 'DEMONSTRATION', T0);
    expect(gate).toMatchObject({ status: 'needs_ack', guideline: { id: f.guideline.id, version: 1 }, previous: null });
    const held = taskOf(await claimNext(db, veteran!.id, slug, 'DEMONSTRATION', T0));
    expect(await db.assignment.count()).toBe(1);

    // v2 adds a line: the veteran must read it, and sees the added line against v1.
    const added = '- Cite a source for every number.';
    const v2 = await publishGuideline(db, { projectId: f.project.id, authorId: f.admin.id, title: 'Guideline', body: `${GUIDELINE_V1}\n${added}` });
    expect(v2.version).toBe(2);
    const needsAck = await claimNext(db, veteran!.id, slug, 'DEMONSTRATION', T0);
    if (needsAck.status !== 'needs_ack') throw new Error(`expected needs_ack, got ${needsAck.status}`);
    expect(needsAck.guideline).toMatchObject({ id: v2.id, version: 2 });
    expect(needsAck.previous?.version).toBe(1);
    expect(needsAck.previous?.diff).toContainEqual({ kind: 'added', text: added });

    // Acknowledging the old version is refused; the new one opens the queue again (same lease).
    await expectDomainError(acknowledgeGuideline(db, veteran!.id, f.project.id, f.guideline.id), 'stale_guideline', 409);
    expect(await acknowledgeGuideline(db, veteran!.id, f.project.id, v2.id)).toEqual({ version: 2 });
    expect(taskOf(await claimNext(db, veteran!.id, slug, 'DEMONSTRATION', T0)).assignmentId).toBe(held.assignmentId);

    await acknowledgeGuideline(db, newcomer!.id, f.project.id, v2.id);
    expect((await claimNext(db, newcomer!.id, slug, 'DEMONSTRATION', T0)).status).toBe('task');
  });

  it('shows a line appended to the guideline as the only change since the acknowledged version', async () => {
    // Guideline bodies typed into a form rarely end with a newline; appending a line must not
    // make the old last line look removed and re-added.
    const f = await createFixture(db, { users: 1, items: 1 });
    const [user] = f.users;
    const added = '- Cite a source for every number.';
    await publishGuideline(db, { projectId: f.project.id, authorId: f.admin.id, title: 'Guideline', body: `${GUIDELINE_V1}\n${added}` });

    const gate = await claimNext(db, user!.id, f.project.slug, 'DEMONSTRATION', T0);
    if (gate.status !== 'needs_ack') throw new Error(`expected needs_ack, got ${gate.status}`);
    expect(gate.previous?.diff.filter((line) => line.kind !== 'same')).toEqual([{ kind: 'added', text: added }]);
  });

  it('shows ranking candidates in a stored order per labeler, without model names', async () => {
    const f = await createFixture(db, { users: 8, items: 1, candidates: 4, rankingsPerItem: 8 });
    const [user] = f.users;
    const [item] = f.items;

    const first = taskOf(await claimNext(db, user!.id, f.project.slug, 'RANKING', T0));
    const again = taskOf(await claimNext(db, user!.id, f.project.slug, 'RANKING', minutesAfter(T0, 5)));

    const order = first.candidates.map((c) => c.id);
    expect(again.candidates.map((c) => c.id)).toEqual(order);
    expect([...order].sort()).toEqual([...item!.candidateIds].sort());
    const stored = await db.assignment.findUniqueOrThrow({ where: { id: first.assignmentId } });
    expect(stored.candidateOrder).toEqual(order);
    for (const candidate of first.candidates) expect(Object.keys(candidate).sort()).toEqual(['content', 'id']);
    expect(JSON.stringify(first)).not.toContain('secret-model');

    // The order is random per labeler: 8 labelers all seeing one order of 4 would be a 1 in 24^7 chance.
    const orders = [order.join()];
    for (const other of f.users.slice(1)) {
      orders.push(taskOf(await claimNext(db, other.id, f.project.slug, 'RANKING', T0)).candidates.map((c) => c.id).join());
    }
    expect(new Set(orders).size).toBeGreaterThan(1);
  });

  it('hands out nothing from a paused project', async () => {
    const f = await createFixture(db, { items: 3, status: 'PAUSED' });
    const [user] = f.users;

    expect(await claimNext(db, user!.id, f.project.slug, 'DEMONSTRATION', T0)).toEqual({ status: 'paused' });
    expect(await claimNext(db, user!.id, f.project.slug, 'RANKING', T0)).toEqual({ status: 'paused' });
    expect(await db.assignment.count()).toBe(0);
  });
});
