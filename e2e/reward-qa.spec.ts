import { expect, test, type APIRequestContext } from '@playwright/test';
import { appDatabase, signInAs } from './support.ts';

/** As small as a model gets: the run takes seconds, most of it starting Node and tfjs. */
const TINY = { layers: 1, width: 16, heads: 2, contextLength: 32, vocabSize: 300, steps: 4, batchSize: 2, evalEvery: 2 };

/** A preference export of the demo project with pairs on both sides of the split (items split by a hash of their random ids). */
async function preferenceExport(request: APIRequestContext): Promise<string> {
  for (let seed = 1; seed <= 50; seed++) {
    const response = await request.post('/api/admin/exports', { data: { project: 'demo', options: { kind: 'preference', format: 'trl', testFraction: 0.4, seed } } });
    expect(response.status()).toBe(200);
    const done = (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; run?: { id: string; files: { name: string; rows: number }[] } })
      .find((message) => message.type === 'done');
    const rows = (name: string) => done?.run?.files.find((f) => f.name === name)?.rows ?? 0;
    if (rows('train.jsonl') > 0 && rows('test.jsonl') > 0) return done!.run!.id;
  }
  throw new Error('no seed splits the demo export both ways');
}

test('a reviewer finds the rankings a freshly trained reward model disagrees with, and invalidates one from the list', async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  expect((await request.get('/api/review/projects/demo/reward-qa')).status()).toBe(401);
  const db = appDatabase();
  const demo = await db.project.findUniqueOrThrow({ where: { slug: 'demo' } });

  await signInAs(page, 'reviewer');
  await page.goto('/review/demo');
  await page.getByTestId('reward-qa-link').click();
  await expect(page).toHaveURL(/\/review\/demo\/reward-qa$/);
  await expect(page.getByTestId('page-title')).toHaveText('Rankings a reward model disagrees with');
  const before = await db.trainingRun.count({ where: { kind: 'REWARD', status: 'SUCCEEDED', projectId: demo.id } });
  if (before === 0) await expect(page.getByTestId('reward-qa-empty')).toContainText('No reward model has been trained on this project yet.');

  // A ranking that reverses the labeler's order of one item: whatever the model learned, it
  // disagrees with one of the two, so the list cannot be empty.
  const item = await db.item.findFirstOrThrow({ where: { projectId: demo.id, externalId: 'demo-001' } });
  const original = await db.ranking.findFirstOrThrow({ where: { itemId: item.id, status: { not: 'INVALID' } }, orderBy: { createdAt: 'asc' } });
  const admin = await db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } });
  const reversed = await db.ranking.create({ data: { itemId: item.id, authorId: admin.id, tiers: [...(original.tiers as string[][])].reverse(), rationale: 'e2e: backwards' } });

  try {
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signInAs(adminPage, 'admin');
    const exportRunId = await preferenceExport(adminPage.request);
    const started = await adminPage.request.post('/api/admin/training', { data: { method: 'reward', exportRunId, config: TINY } });
    expect(started.status()).toBe(201);
    const runId = ((await started.json()) as { run: { id: string } }).run.id;
    await expect
      .poll(async () => ((await (await adminPage.request.get(`/api/admin/training/${runId}`)).json()) as { run: { status: string } }).run.status, { timeout: 60_000, intervals: [1000] })
      .toBe('SUCCEEDED');
    await adminContext.close();

    await page.reload();
    const model = page.getByTestId('reward-run');
    await expect(model).toHaveValue(runId);
    await expect(page.getByTestId('reward-run-figures')).toContainText(/Held-out accuracy \d+%/);
    await page.getByTestId('find-disagreements').click();
    await expect(page.getByTestId('reward-qa-summary')).toContainText(/rankings scored/, { timeout: 30_000 });

    const rows = page.getByTestId('disagreement');
    await expect(rows.first()).toBeVisible();
    const ids = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-ranking')));
    // The worst disagreement of the pair; the reversed ranking is the one to throw out if it is listed.
    const flagged = ids.find((id) => id === reversed.id) ?? ids.find((id) => id === original.id);
    expect(flagged).toBeTruthy();
    const row = page.locator(`[data-testid="disagreement"][data-ranking="${flagged}"]`);
    await expect(row.getByTestId('margin')).toHaveText(/^margin -\d/);
    await expect(row.getByTestId('prompt')).not.toBeEmpty();
    await expect(row.getByTestId('labeler-preferred')).toContainText('Labeler preferred');
    await expect(row.getByTestId('model-preferred')).toContainText('The reward model preferred');
    await expect(row.getByTestId('open-item')).toHaveAttribute('href', `/review/items/${item.id}`);

    await row.getByTestId('invalidate').click();
    await row.getByTestId('invalidate-reason').fill('Ranked backwards (e2e).');
    await row.getByTestId('invalidate-confirm').click();
    await expect(row.getByTestId('row-invalidated')).toHaveText('Marked invalid.');
    expect((await db.ranking.findUniqueOrThrow({ where: { id: flagged! } })).status).toBe('INVALID');
  } finally {
    // Later specs read the demo's rankings: leave them as they were.
    await db.review.deleteMany({ where: { rankingId: { in: [reversed.id, original.id] } } });
    await db.ranking.delete({ where: { id: reversed.id } });
    await db.ranking.update({ where: { id: original.id }, data: { status: original.status } });
    await db.$disconnect();
  }
});
