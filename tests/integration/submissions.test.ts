import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveDraft } from '../../lib/annotation/drafts.ts';
import { demonstrationInput, rankingInput } from '../../lib/annotation/schemas.ts';
import { submitDemonstration, submitRanking } from '../../lib/annotation/submit.ts';
import type { Db } from '../../lib/db.ts';
import { DomainError } from '../../lib/errors.ts';
import { acknowledgeGuideline, publishGuideline } from '../../lib/guidelines/gate.ts';
import { claimNext } from '../../lib/queue/claim.ts';
import type { LabelKind, NextTask, Task } from '../../lib/queue/types.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

// ---------------------------------------------------------------------------------------------
// Helpers: a small project built directly in the database, so every count in a test is exact.
// ---------------------------------------------------------------------------------------------

const T0 = new Date('2031-03-04T09:00:00.000Z');
const minutesAfter = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

interface Fixture {
  project: { id: string; slug: string };
  guideline: { id: string };
  admin: { id: string };
  users: { id: string }[];
  items: { id: string; candidateIds: string[] }[];
}

/** A project with `users` labelers who acknowledged guideline v1, and `items` items of 4 candidates. */
async function createFixture(db: Db, options: { users?: number; items?: number; leaseMinutes?: number } = {}): Promise<Fixture> {
  const admin = await db.user.create({ data: { email: 'admin@subs.test', name: 'Admin', passwordHash: 'x', role: 'ADMIN' } });
  const users = [];
  for (let i = 0; i < (options.users ?? 1); i++) {
    users.push(await db.user.create({ data: { email: `labeler${i}@subs.test`, name: `Labeler ${i}`, passwordHash: 'x' } }));
  }
  const project = await db.project.create({
    data: {
      slug: 'subs',
      name: 'Submissions',
      demonstrationsPerItem: 1,
      rankingsPerItem: 1,
      candidatesPerRanking: 4,
      leaseMinutes: options.leaseMinutes ?? 30,
      members: { create: [{ userId: admin.id, role: 'ADMIN' }, ...users.map((u) => ({ userId: u.id }))] },
    },
  });
  const guideline = await db.guideline.create({
    data: { projectId: project.id, version: 1, title: 'Guideline', body: '- Be helpful.\n', publishedAt: T0, authorId: admin.id },
  });
  await db.guidelineAck.createMany({ data: users.map((u) => ({ userId: u.id, guidelineId: guideline.id })) });
  const items = [];
  for (let i = 0; i < (options.items ?? 1); i++) {
    const item = await db.item.create({
      data: {
        projectId: project.id,
        externalId: `item-${i}`,
        messages: [{ role: 'user', content: `Question ${i}?` }],
        candidates: { create: [0, 1, 2, 3].map((j) => ({ content: `Answer ${j} to ${i}`, model: `model-${j}` })) },
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

async function claim(db: Db, f: Fixture, userId: string, kind: LabelKind, now = T0): Promise<Task> {
  return taskOf(await claimNext(db, userId, f.project.slug, kind, now));
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

const key = () => crypto.randomUUID();
const rate = (n: number) => ({ helpful: n, truthful: n, harmless: n });

function demonstration(fields: Record<string, unknown> = {}) {
  return demonstrationInput.parse({ clientKey: key(), reply: 'An ideal reply.', ...fields });
}

/** A valid ranking of what the task shows (one candidate per tier, all rated 3), with overrides. */
function ranking(task: Task, fields: Record<string, unknown> = {}) {
  return rankingInput.parse(rawRanking(task, fields));
}

function rawRanking(task: Task, fields: Record<string, unknown> = {}) {
  return {
    clientKey: key(),
    tiers: task.candidates.map((c) => [c.id]),
    ratings: Object.fromEntries(task.candidates.map((c) => [c.id, rate(3)])),
    ...fields,
  };
}

async function written(db: Db) {
  const [demonstrations, rankings] = await Promise.all([db.demonstration.count(), db.ranking.count()]);
  return { demonstrations, rankings };
}

// ---------------------------------------------------------------------------------------------

describe('submitting labels', () => {
  let t: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    t = await freshDatabase();
    db = t.db;
  });
  afterEach(() => t.close());

  it('stores one demonstration when the same submission arrives 5 times at once', async () => {
    const f = await createFixture(db);
    const [user] = f.users;
    const task = await claim(db, f, user!.id, 'DEMONSTRATION');
    const input = demonstration();

    const results = await Promise.all(Array.from({ length: 5 }, () => submitDemonstration(db, user!.id, task.assignmentId, input, T0)));

    expect(await db.demonstration.count()).toBe(1);
    const stored = await db.demonstration.findUniqueOrThrow({ where: { clientKey: input.clientKey } });
    expect(results.map((r) => r.id)).toEqual(Array(5).fill(stored.id));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).status).toBe('SUBMITTED');
  });

  it('refuses a second submission of a submitted task (already_submitted) and a key reused on another task (duplicate_key)', async () => {
    const f = await createFixture(db, { items: 2 });
    const [user] = f.users;
    const first = await claim(db, f, user!.id, 'DEMONSTRATION');
    const input = demonstration();
    const stored = await submitDemonstration(db, user!.id, first.assignmentId, input, T0);

    // A retry with the same key is the same submission…
    expect(await submitDemonstration(db, user!.id, first.assignmentId, input, T0)).toEqual({ id: stored.id, duplicate: true });
    // …a new key for the same task is a second submission.
    await expectDomainError(submitDemonstration(db, user!.id, first.assignmentId, demonstration(), T0), 'already_submitted', 409);

    const second = await claim(db, f, user!.id, 'DEMONSTRATION');
    expect(second.item.id).not.toBe(first.item.id);
    await expectDomainError(
      submitDemonstration(db, user!.id, second.assignmentId, demonstration({ clientKey: input.clientKey }), T0),
      'duplicate_key',
      409,
    );

    expect(await db.demonstration.count()).toBe(1);
    expect((await db.assignment.findUniqueOrThrow({ where: { id: second.assignmentId } })).status).toBe('ACTIVE');
  });

  it('stores a demonstration as messages with the acknowledged guideline version, refusal mark and paste stats', async () => {
    const f = await createFixture(db);
    const [user] = f.users;
    const task = await claim(db, f, user!.id, 'DEMONSTRATION');
    // A newer guideline the labeler has not read yet: the submission is made under the one they did.
    await publishGuideline(db, { projectId: f.project.id, authorId: f.admin.id, title: 'Guideline', body: '- Be helpful.\n- New rule.\n' });

    const input = demonstration({
      reply: "  I can't help with that, but here is a safer alternative.  ",
      isRefusal: true,
      extraTurns: [{ user: 'Why not?', assistant: 'Because it could hurt someone.' }],
      paste: { pastedChars: 12, pasteEvents: 1 },
      timeSpentMs: 42_000,
    });
    const { id } = await submitDemonstration(db, user!.id, task.assignmentId, input, T0);

    const stored = await db.demonstration.findUniqueOrThrow({ where: { id } });
    const messages = [
      { role: 'assistant', content: "I can't help with that, but here is a safer alternative." },
      { role: 'user', content: 'Why not?' },
      { role: 'assistant', content: 'Because it could hurt someone.' },
    ];
    expect(stored).toMatchObject({
      itemId: task.item.id,
      assignmentId: task.assignmentId,
      authorId: user!.id,
      messages,
      isRefusal: true,
      fromAllBad: false,
      guidelineId: f.guideline.id,
      clientKey: input.clientKey,
      timeSpentMs: 42_000,
      pasteStats: { pastedChars: 12, pasteEvents: 1, totalChars: messages.reduce((n, m) => n + m.content.length, 0) },
    });
  });

  it('stores a ranking’s tiers exactly as given, ties included, with ratings and non-empty flags', async () => {
    const f = await createFixture(db);
    const [user] = f.users;
    const task = await claim(db, f, user!.id, 'RANKING');
    const [a, b, c, d] = task.candidates.map((candidate) => candidate.id) as [string, string, string, string];

    const tiers = [[c], [a, d], [b]];
    const ratings = { [a]: rate(4), [b]: { helpful: 1, truthful: 2, harmless: 5 }, [c]: rate(5), [d]: rate(4) };
    const { id } = await submitRanking(
      db,
      user!.id,
      task.assignmentId,
      ranking(task, { tiers, ratings, flags: { [b]: ['hallucination', 'off_topic'], [a]: [] }, rationale: 'B invents a date.' }),
      T0,
    );

    const stored = await db.ranking.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({
      itemId: task.item.id,
      authorId: user!.id,
      tiers,
      ratings,
      flags: { [b]: ['hallucination', 'off_topic'] },
      rationale: 'B invents a date.',
      allBad: false,
      guidelineId: f.guideline.id,
    });
    expect((await db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).status).toBe('SUBMITTED');
  });

  const badRankings: [string, string, (task: Task, foreignId: string) => Record<string, unknown>][] = [
    ['a candidate is left out', 'unranked_candidate', (task) => ({ tiers: task.candidates.slice(1).map((c) => [c.id]) })],
    [
      'a candidate of another item is placed',
      'foreign_candidate',
      (task, foreignId) => ({ tiers: [...task.candidates.map((c) => [c.id]), [foreignId]] }),
    ],
    [
      'a candidate is placed twice',
      'duplicate_candidate',
      (task) => ({ tiers: [...task.candidates.map((c) => [c.id]), [task.candidates[0]!.id]] }),
    ],
    [
      'a candidate has no rating',
      'missing_rating',
      (task) => ({ ratings: Object.fromEntries(task.candidates.slice(1).map((c) => [c.id, rate(3)])) }),
    ],
    [
      'the top tier is tied without a rationale',
      'rationale_required',
      (task) => {
        const [first, second, ...rest] = task.candidates.map((c) => c.id);
        return { tiers: [[first, second], ...rest.map((id) => [id])] };
      },
    ],
    ['a candidate is flagged without a rationale', 'rationale_required', (task) => ({ flags: { [task.candidates[0]!.id]: ['unsafe'] } })],
  ];

  it.each(badRankings)('refuses a ranking where %s with 400 %s and writes nothing', async (_, code, change) => {
    const f = await createFixture(db, { items: 2 });
    const [user] = f.users;
    const task = await claim(db, f, user!.id, 'RANKING');
    const foreignId = f.items.find((item) => item.id !== task.item.id)!.candidateIds[0]!;

    await expectDomainError(submitRanking(db, user!.id, task.assignmentId, ranking(task, change(task, foreignId)), T0), code, 400);

    expect(await written(db)).toEqual({ demonstrations: 0, rankings: 0 });
    expect((await db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).status).toBe('ACTIVE');
    // The task is not burnt: a corrected ranking goes through.
    await submitRanking(db, user!.id, task.assignmentId, ranking(task), T0);
    expect(await db.ranking.count()).toBe(1);
  });

  it('rejects ratings outside 1–5 at parsing, naming the field', async () => {
    const f = await createFixture(db);
    const [user] = f.users;
    const task = await claim(db, f, user!.id, 'RANKING');
    const [first] = task.candidates;

    expect(rankingInput.safeParse(rawRanking(task)).success).toBe(true);
    for (const [dimension, value] of [
      ['helpful', 0],
      ['harmless', 6],
    ] as const) {
      const raw = rawRanking(task);
      raw.ratings[first!.id] = { ...rate(3), [dimension]: value };
      const parsed = rankingInput.safeParse(raw);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path)).toContainEqual(['ratings', first!.id, dimension]);
    }
  });

  it('refuses to store work against another labeler’s assignment (no_lease) and writes nothing', async () => {
    const f = await createFixture(db, { users: 2 });
    const [owner, intruder] = f.users;
    const demo = await claim(db, f, owner!.id, 'DEMONSTRATION');
    const rank = await claim(db, f, owner!.id, 'RANKING');

    await expectDomainError(submitDemonstration(db, intruder!.id, demo.assignmentId, demonstration(), T0), 'no_lease', 409);
    await expectDomainError(submitRanking(db, intruder!.id, rank.assignmentId, ranking(rank), T0), 'no_lease', 409);

    expect(await written(db)).toEqual({ demonstrations: 0, rankings: 0 });
    const statuses = await db.assignment.findMany({ select: { status: true, userId: true } });
    expect(statuses).toEqual([
      { status: 'ACTIVE', userId: owner!.id },
      { status: 'ACTIVE', userId: owner!.id },
    ]);
  });

  it('stores "all bad" as a ranking marked allBad plus the labeler’s reply as a demonstration', async () => {
    const f = await createFixture(db);
    const [user] = f.users;
    const task = await claim(db, f, user!.id, 'RANKING');

    const { id } = await submitRanking(
      db,
      user!.id,
      task.assignmentId,
      ranking(task, { allBad: { reply: 'The answer none of them gave.', paste: { pastedChars: 0, pasteEvents: 0 } } }),
      T0,
    );

    expect(await db.ranking.findUniqueOrThrow({ where: { id } })).toMatchObject({ allBad: true, assignmentId: task.assignmentId });
    const demonstrations = await db.demonstration.findMany();
    expect(demonstrations).toHaveLength(1);
    expect(demonstrations[0]).toMatchObject({
      itemId: task.item.id,
      authorId: user!.id,
      fromAllBad: true,
      isRefusal: false,
      messages: [{ role: 'assistant', content: 'The answer none of them gave.' }],
      guidelineId: f.guideline.id,
    });
  });

  it('autosaves drafts with a rising revision and a renewed lease, refuses them once submitted, and drops the draft on submit', async () => {
    const f = await createFixture(db, { leaseMinutes: 30 });
    const [user] = f.users;
    const task = await claim(db, f, user!.id, 'DEMONSTRATION');
    expect(task.leaseExpiresAt).toBe(minutesAfter(T0, 30).toISOString());

    const first = await saveDraft(db, user!.id, task.assignmentId, { reply: 'First thoughts' }, minutesAfter(T0, 10));
    expect(first).toMatchObject({ revision: 1, leaseExpiresAt: minutesAfter(T0, 40).toISOString() });
    const second = await saveDraft(db, user!.id, task.assignmentId, { reply: 'Better thoughts' }, minutesAfter(T0, 20));
    expect(second).toMatchObject({ revision: 2, leaseExpiresAt: minutesAfter(T0, 50).toISOString() });

    expect(await db.draft.findUniqueOrThrow({ where: { assignmentId: task.assignmentId } })).toMatchObject({
      content: { reply: 'Better thoughts' },
      revision: 2,
    });
    expect((await db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).leaseExpiresAt).toEqual(minutesAfter(T0, 50));
    // A reload after the original lease would have run out still finds the task and its draft.
    const reloaded = await claim(db, f, user!.id, 'DEMONSTRATION', minutesAfter(T0, 45));
    expect(reloaded.assignmentId).toBe(task.assignmentId);
    expect(reloaded.draft).toMatchObject({ content: { reply: 'Better thoughts' }, revision: 2 });

    await submitDemonstration(db, user!.id, task.assignmentId, demonstration(), minutesAfter(T0, 46));
    expect(await db.draft.count()).toBe(0);

    await expectDomainError(saveDraft(db, user!.id, task.assignmentId, { reply: 'Too late' }, minutesAfter(T0, 47)), 'closed', 409);
    expect(await db.draft.count()).toBe(0);
  });
});
