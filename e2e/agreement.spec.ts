import { expect, test } from '@playwright/test';
import type { Db } from '../lib/db.ts';
import { appDatabase, signInAs } from './support.ts';

// The demo project has one labeler, so most agreement figures would be "not enough data".
// A second labeler ranks the same items: the same order everywhere but on one item, reversed.
const EMAIL = `e2e-agreement-${Date.now().toString(36)}@feedloop.local`;
const NAME = 'Otto Second-Opinion';

let db: Db;
let userId: string;
let reversedItemId: string;

test.beforeAll(async () => {
  db = appDatabase();
  const project = await db.project.findUniqueOrThrow({ where: { slug: 'demo' } });
  const user = await db.user.create({
    data: { email: EMAIL, name: NAME, role: 'LABELER', passwordHash: 'not-a-login', memberships: { create: { projectId: project.id, role: 'LABELER' } } },
  });
  userId = user.id;
  const theirs = await db.ranking.findMany({
    where: { item: { projectId: project.id }, author: { email: 'labeler@feedloop.local' }, status: { not: 'INVALID' } },
    orderBy: { createdAt: 'asc' },
  });
  expect(theirs.length).toBeGreaterThanOrEqual(2);
  for (const [index, ranking] of theirs.entries()) {
    const tiers = ranking.tiers as string[][];
    if (index === 0) reversedItemId = ranking.itemId;
    await db.ranking.create({
      data: {
        itemId: ranking.itemId,
        authorId: userId,
        tiers: index === 0 ? [...tiers].reverse() : tiers,
        ratings: ranking.ratings ?? {},
        flags: {},
        timeSpentMs: 42_000,
      },
    });
  }
});

test.afterAll(async () => {
  await db.ranking.deleteMany({ where: { authorId: userId } });
  await db.user.delete({ where: { id: userId } });
  await db.$disconnect();
});

test('a reviewer sees where labelers disagree in the demo project', async ({ page }) => {
  await signInAs(page, 'reviewer');
  await page.goto('/review/agreement?project=demo');
  await expect(page.getByTestId('page-title')).toHaveText('Where labelers disagree');
  await expect(page.getByTestId('project-picker').getByRole('link', { name: 'Demo: helpful, truthful, harmless' })).toHaveAttribute('aria-current', 'page');

  const panel = page.getByTestId('agreement-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('ranking-tau')).toContainText(/-?\d\.\d{3}/);
  await expect(panel.getByTestId('ranking-tau')).toContainText(/\d+ items?, \d+ labeler pairs?/);
  await expect(panel.getByTestId('ranking-pairwise')).toContainText(/\d\.\d{3}/);
  // Nobody set "off-topic": no variation, so no alpha.
  await expect(panel.getByTestId('flag-off_topic')).toContainText('not enough data');
  await expect(panel.getByTestId('agreement-chart')).toBeVisible();

  const labelers = panel.getByTestId('agreement-labelers');
  await expect(labelers).toContainText('Lena Labeler');
  await expect(labelers).toContainText(NAME);

  // The item the second labeler reversed has the lowest agreement and links to its review page.
  const lowest = panel.getByTestId('lowest-items');
  await expect(lowest.getByRole('link').first()).toHaveAttribute('href', `/review/items/${reversedItemId}`);
  await expect(lowest.getByRole('row').nth(1)).toContainText('-1.000');
});

test('the agreement API answers reviewers with figures and refuses bad queries and labelers', async ({ page }) => {
  await signInAs(page, 'reviewer');
  const answer = await page.request.get('/api/review/agreement?project=demo');
  expect(answer.status()).toBe(200);
  const body = await answer.json();
  expect(body.labelers).toBeGreaterThanOrEqual(2);
  expect(body.lowest[0]).toMatchObject({ itemId: reversedItemId, tau: -1, href: `/review/items/${reversedItemId}` });
  expect((await page.request.get('/api/review/agreement')).status()).toBe(400);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInAs(page, 'labeler');
  expect((await page.request.get('/api/review/agreement?project=demo')).status()).toBe(403);
});
