import crypto from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { appDatabase, e2eProject, signInAs } from './support.ts';

/*
 * The review routes as a client sees them, over HTTP with a real session. A project of its own
 * (a fresh slug per run): the reviewer wrote the older demonstration and one of the rankings,
 * the labeler the newer demonstration and the other ranking.
 */
const PROJECT = `e2e-review-api-${Date.now().toString(36)}`;
const ids = { item: '', ownDemonstration: '', labelerDemonstration: '', ownRanking: '', labelerRanking: '' };

test.beforeAll(async () => {
  const db = appDatabase();
  try {
    const { projectId, users } = await e2eProject(db, {
      slug: PROJECT,
      name: 'E2E review API',
      members: { reviewer: 'REVIEWER', labeler: 'LABELER' },
    });
    const item = await db.item.create({
      data: {
        projectId,
        externalId: 'api-1',
        messages: [{ role: 'user', content: 'How many legs does a spider have?' }],
        candidates: { create: [{ content: 'Eight.' }, { content: 'Six.' }] },
      },
      include: { candidates: { orderBy: { createdAt: 'asc' } } },
    });
    ids.item = item.id;
    const [eight, six] = item.candidates.map((c) => c.id) as [string, string];
    const work = async (authorId: string, at: Date) => {
      const demonstration = await db.demonstration.create({
        data: { itemId: item.id, authorId, messages: [{ role: 'assistant', content: `Spiders have eight legs (${authorId}).` }], createdAt: at },
      });
      const ranking = await db.ranking.create({ data: { itemId: item.id, authorId, tiers: [[eight], [six]], createdAt: at } });
      return { demonstration: demonstration.id, ranking: ranking.id };
    };
    // The reviewer's own work is the oldest, so a queue that ignored authorship would hand it out first.
    const own = await work(users.reviewer, new Date(Date.now() - 60_000));
    const theirs = await work(users.labeler, new Date());
    Object.assign(ids, { ownDemonstration: own.demonstration, ownRanking: own.ranking, labelerDemonstration: theirs.demonstration, labelerRanking: theirs.ranking });
  } finally {
    await db.$disconnect();
  }
});

/** The reviewer's current task in the project (claimed, or the one already held). */
async function nextTask(request: APIRequestContext) {
  const answer = await request.post(`/api/review/projects/${PROJECT}/next`);
  expect(answer.status()).toBe(200);
  return (await answer.json()) as { status: 'task'; task: { assignmentId: string; demonstration: { id: string } } } | { status: 'empty' };
}

async function heldAssignment(request: APIRequestContext): Promise<string> {
  const next = await nextTask(request);
  if (next.status !== 'task') throw new Error('expected a review task');
  return next.task.assignmentId;
}

test('a labeler is refused every review route with 403, and an anonymous caller with 401', async ({ page, request }) => {
  const calls: [string, string, unknown?][] = [
    ['POST', `/api/review/projects/${PROJECT}/next`],
    ['POST', '/api/review/tasks/any-assignment/verdict', { verdict: 'APPROVE', clientKey: crypto.randomUUID() }],
    ['GET', `/api/review/items/${ids.item}/rankings`],
    ['POST', `/api/review/rankings/${ids.labelerRanking}/invalidate`, { reason: 'I would like to invalidate this.' }],
    ['GET', `/api/review/agreement?project=${PROJECT}`],
  ];
  const send = (client: APIRequestContext, [method, url, data]: (typeof calls)[number]) => client.fetch(url, { method, data });

  for (const call of calls) {
    const answer = await send(request, call);
    expect(answer.status(), `${call[0]} ${call[1]} anonymous`).toBe(401);
  }
  await signInAs(page, 'labeler');
  for (const call of calls) {
    const answer = await send(page.request, call);
    expect(answer.status(), `${call[0]} ${call[1]}`).toBe(403);
    expect(await answer.json()).toEqual({ error: 'forbidden' });
  }
  // The labeler's review page sends them home too.
  await page.goto(`/review/${PROJECT}`);
  await expect(page).toHaveURL(/\/label\?denied=1$/);

  const db = appDatabase();
  try {
    expect((await db.ranking.findUniqueOrThrow({ where: { id: ids.labelerRanking } })).status).toBe('SUBMITTED');
    expect(await db.assignment.count({ where: { itemId: ids.item, kind: 'REVIEW' } })).toBe(0);
  } finally {
    await db.$disconnect();
  }
});

test('a reviewer is never handed their own demonstration and cannot invalidate their own ranking', async ({ page }) => {
  await signInAs(page, 'reviewer');
  const next = await nextTask(page.request);
  expect(next).toMatchObject({ status: 'task', task: { demonstration: { id: ids.labelerDemonstration } } });
  // Asking again returns the task held, never the reviewer's own (older) demonstration.
  expect(await nextTask(page.request)).toMatchObject({ status: 'task', task: { demonstration: { id: ids.labelerDemonstration } } });

  const own = await page.request.post(`/api/review/rankings/${ids.ownRanking}/invalidate`, { data: { reason: 'Second thoughts.' } });
  expect(own.status()).toBe(403);
  expect(await own.json()).toMatchObject({ error: 'own_work', message: 'You cannot review your own ranking.' });

  const db = appDatabase();
  try {
    expect((await db.ranking.findUniqueOrThrow({ where: { id: ids.ownRanking } })).status).toBe('SUBMITTED');
    expect(await db.assignment.count({ where: { kind: 'REVIEW', targetId: ids.ownDemonstration } })).toBe(0);
  } finally {
    await db.$disconnect();
  }
});

test('an invalid verdict is refused with 400 and a message naming the field', async ({ page }) => {
  await signInAs(page, 'reviewer');
  const url = `/api/review/tasks/${await heldAssignment(page.request)}/verdict`;
  const cases: [unknown, string, RegExp][] = [
    [{ verdict: 'REJECT', clientKey: crypto.randomUUID(), reason: '   ' }, 'reason', /^reason: /],
    [{ verdict: 'APPROVE', clientKey: 'not-a-uuid' }, 'clientKey', /^clientKey: must be a UUID/],
    [{ verdict: 'MAYBE', clientKey: crypto.randomUUID() }, 'verdict', /^verdict: /],
    [{ verdict: 'REVISE', clientKey: crypto.randomUUID(), messages: [] }, 'messages', /^messages: must contain the reply/],
  ];
  for (const [data, field, message] of cases) {
    const answer = await page.request.post(url, { data });
    expect(answer.status(), JSON.stringify(data)).toBe(400);
    const body = await answer.json();
    expect(body, JSON.stringify(data)).toMatchObject({ error: 'invalid_input', field });
    expect(body.message).toMatch(message);
  }
  // A Buffer goes out as it is (a string would be JSON-encoded by the client).
  const notJson = await page.request.post(url, { data: Buffer.from('{"verdict": '), headers: { 'content-type': 'application/json' } });
  expect(notJson.status()).toBe(400);
  expect(await notJson.json()).toMatchObject({ error: 'invalid_json', message: 'The request body is not valid JSON.' });

  const db = appDatabase();
  try {
    expect((await db.demonstration.findUniqueOrThrow({ where: { id: ids.labelerDemonstration } })).status).toBe('SUBMITTED');
    expect(await db.review.count({ where: { demonstrationId: ids.labelerDemonstration } })).toBe(0);
  } finally {
    await db.$disconnect();
  }
});

test('a verdict sent twice with the same client key is stored once', async ({ page }) => {
  await signInAs(page, 'reviewer');
  const url = `/api/review/tasks/${await heldAssignment(page.request)}/verdict`;
  const data = { verdict: 'APPROVE', clientKey: crypto.randomUUID(), comment: 'Correct and short.' };

  const first = await page.request.post(url, { data });
  expect(first.status()).toBe(200);
  const stored = await first.json();
  expect(stored).toMatchObject({ verdict: 'APPROVE', demonstrationId: ids.labelerDemonstration, revisionId: null, duplicate: false });
  // A retry (a lost answer, a double click) gets the same verdict back.
  const retry = await page.request.post(url, { data });
  expect(retry.status()).toBe(200);
  expect(await retry.json()).toEqual({ ...stored, duplicate: true });
  // A second, different verdict is refused.
  const another = await page.request.post(url, { data: { verdict: 'REJECT', clientKey: crypto.randomUUID(), reason: 'Changed my mind.' } });
  expect(another.status()).toBe(409);
  expect(await another.json()).toMatchObject({ error: 'already_reviewed' });

  const db = appDatabase();
  try {
    expect((await db.demonstration.findUniqueOrThrow({ where: { id: ids.labelerDemonstration } })).status).toBe('APPROVED');
    expect(await db.review.count({ where: { demonstrationId: ids.labelerDemonstration } })).toBe(1);
    expect(await db.auditLog.count({ where: { action: 'review.approve', entityId: ids.labelerDemonstration } })).toBe(1);
  } finally {
    await db.$disconnect();
  }
  // With the labeler's reply reviewed, only the reviewer's own is left: the queue is empty for them.
  expect(await nextTask(page.request)).toEqual({ status: 'empty' });
});
