import { expect, test } from '@playwright/test';
import { appDatabase, e2eProject, signInAs } from './support.ts';

/*
 * A project of its own (a fresh slug per run) with two items: the labeler already ranked the
 * planet question Mercury > Venus > Mars; the colour question is still open.
 */
// Nothing in the project's name may say "gold": the labeler's task carries it.
const PROJECT = `e2e-known-answers-${Date.now().toString(36)}`;
const ids = { planet: '', colour: '', mercury: '', venus: '', mars: '', red: '', green: '' };

test.beforeAll(async () => {
  const db = appDatabase();
  try {
    const { projectId, guidelineId, users } = await e2eProject(db, {
      slug: PROJECT,
      name: 'E2E known answers',
      settings: { rankingsPerItem: 1 },
      members: { admin: 'ADMIN', labeler: 'LABELER' },
      guideline: { title: 'Rank by truth', body: '## Truthful\nNo made-up facts.', acknowledgedBy: ['labeler'] },
    });
    const planet = await db.item.create({
      data: {
        projectId,
        externalId: 'planet-1',
        messages: [{ role: 'user', content: 'Which planet is closest to the Sun?' }],
        createdAt: new Date(Date.now() - 60_000),
        candidates: {
          create: [
            { content: 'Mercury.', model: 'm1', createdAt: new Date(Date.now() - 3000) },
            { content: 'Venus.', model: 'm2', createdAt: new Date(Date.now() - 2000) },
            { content: 'Mars <img src=x onerror="window.pwned = 1">', model: 'm3', createdAt: new Date(Date.now() - 1000) },
          ],
        },
      },
      include: { candidates: { orderBy: { createdAt: 'asc' } } },
    });
    const colour = await db.item.create({
      data: {
        projectId,
        externalId: 'colour-1',
        messages: [{ role: 'user', content: 'Name a primary colour of light.' }],
        candidates: { create: [{ content: 'Red.', createdAt: new Date(Date.now() - 1000) }, { content: 'Yellow.' }] },
      },
      include: { candidates: { orderBy: { createdAt: 'asc' } } },
    });
    [ids.mercury, ids.venus, ids.mars] = planet.candidates.map((c) => c.id) as [string, string, string];
    [ids.red, ids.green] = colour.candidates.map((c) => c.id) as [string, string];
    ids.planet = planet.id;
    ids.colour = colour.id;
    const assignment = await db.assignment.create({
      data: { itemId: planet.id, userId: users.labeler, kind: 'RANKING', status: 'SUBMITTED', leaseExpiresAt: new Date(), finishedAt: new Date() },
    });
    await db.ranking.create({
      data: {
        itemId: planet.id,
        assignmentId: assignment.id,
        authorId: users.labeler,
        tiers: [[ids.mercury], [ids.venus], [ids.mars]],
        guidelineId,
        timeSpentMs: 30_000,
      },
    });
  } finally {
    await db.$disconnect();
  }
});

test('an admin marks an item gold with a reference ranking, and the dashboard scores the labeler against it', async ({ page }) => {
  await signInAs(page, 'admin');
  await page.goto(`/admin/projects/${PROJECT}`);
  await page.getByRole('link', { name: 'Items and gold' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/projects/${PROJECT}/items$`));
  await expect(page.getByTestId('page-title')).toHaveText('Items and gold answers');
  await expect(page.getByTestId('items-count')).toHaveText('2 items');
  await expect(page.getByTestId('gold-panel')).toContainText('Open an item to read its answers and mark it gold.');

  // Search by prompt text, then by external id.
  const search = page.getByTestId('items-search');
  await search.getByLabel('Search prompt text or external id').fill('closest to the sun');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('item-row')).toHaveCount(1);
  await search.getByLabel('Search prompt text or external id').fill('colour-1');
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('item-row')).toHaveText(/Name a primary colour of light\./);
  await search.getByLabel('Search prompt text or external id').fill('planet');
  await search.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('item-row').getByRole('link', { name: 'Which planet is closest to the Sun?' }).click();
  await expect(page).toHaveURL(/\?q=planet&item=/);

  const panel = page.getByTestId('gold-panel');
  await expect(panel.getByTestId('conversation')).toContainText('Which planet is closest to the Sun?');
  await expect(panel.getByTestId('gold-answer')).toHaveCount(3);
  await expect(panel.getByTestId('gold-answer').nth(0)).toContainText('Mercury.');
  await expect(panel.getByTestId('gold-answer').nth(2)).toContainText('Mars');
  await expect(panel.getByTestId('gold-status')).toHaveText('Not gold.');
  // The answer's markup is shown as nothing more than text: no image, no script.
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await expect(panel.locator('img')).toHaveCount(0);

  // One tier is not a ranking.
  await panel.getByLabel('Tier of answer A').selectOption('1');
  await panel.getByTestId('gold-save').click();
  await expect(panel.getByRole('alert')).toHaveText('Put the answers in at least two different tiers.');

  // Mercury best; Venus and Mars tied below it.
  await panel.getByLabel('Tier of answer B').selectOption('2');
  await panel.getByLabel('Tier of answer C').selectOption('2');
  await expect(panel.getByTestId('gold-preview')).toHaveText('Reference ranking: A > B = C');
  await panel.getByRole('button', { name: 'Mark as gold' }).click();
  await expect(panel.getByRole('status')).toHaveText('Saved: the item is gold with this reference ranking.');
  await expect(panel.getByTestId('gold-status')).toHaveText('Gold: reference ranking set by an admin.');
  await expect(page.getByTestId('item-row').getByTestId('gold-badge')).toHaveText('Gold');

  const db = appDatabase();
  try {
    const item = await db.item.findUniqueOrThrow({ where: { id: ids.planet } });
    expect(item).toMatchObject({ isGold: true, goldAnswer: { tiers: [[ids.mercury], [ids.venus, ids.mars]], source: 'admin' } });
    expect(await db.auditLog.count({ where: { action: 'item.gold_set', entityId: ids.planet } })).toBe(1);
  } finally {
    await db.$disconnect();
  }

  // After a reload the editor shows the stored ranking; "gold items only" finds it.
  await page.reload();
  await expect(panel.getByLabel('Tier of answer A')).toHaveValue('1');
  await expect(panel.getByLabel('Tier of answer C')).toHaveValue('2');
  await page.goto(`/admin/projects/${PROJECT}/items`);
  await page.getByLabel('Gold items only').check();
  await page.getByTestId('items-search').getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('item-row')).toHaveCount(1);
  await expect(page.getByTestId('item-row')).toContainText('Which planet is closest to the Sun?');

  // The dashboard scores the labeler against it: Mercury above Venus and Mars, so right.
  await page.goto(`/admin?project=${PROJECT}`);
  const agreement = page.getByTestId('labeler-agreement');
  await expect(agreement.getByTestId('gold-accuracy')).toHaveText('Gold accuracy, all labelers: 1.00 (1 of 1)');
  await expect(agreement.getByTestId('labeler-labeler@feedloop.local')).toContainText('Lena Labeler');
  await expect(agreement.getByTestId('labeler-labeler@feedloop.local')).toContainText(/1\.00\s*\(1 of 1\)/);
  await expect(agreement.getByRole('link', { name: 'All agreement figures' })).toHaveAttribute('href', `/review/agreement?project=${PROJECT}`);

  // Un-marked, the item no longer counts.
  await page.goto(`/admin/projects/${PROJECT}/items?item=${ids.planet}`);
  await panel.getByRole('button', { name: 'Remove gold' }).click();
  await expect(panel.getByTestId('gold-status')).toHaveText('Not gold.');
  await expect(page.getByTestId('item-row').getByTestId('gold-badge')).toHaveCount(0);
  await page.goto(`/admin?project=${PROJECT}`);
  await expect(page.getByTestId('gold-accuracy')).toHaveText('No labeler has ranked a gold item yet. Admins mark gold items on a project’s “Items and gold” page.');
});

test('the gold route is for admins, checks the ranking, and labelers get gold items like any other', async ({ page }) => {
  const url = `/api/admin/projects/${PROJECT}/items/${ids.colour}/gold`;
  await signInAs(page, 'admin');
  const bad = await page.request.put(url, { data: { tiers: [[ids.red], [ids.mercury]] } });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ error: 'invalid_input', field: 'tiers.1.0', message: `tiers.1.0: "${ids.mercury}" is not an answer of this item` });
  const good = await page.request.put(url, { data: { tiers: [[ids.red], [ids.green]] } });
  expect(good.status()).toBe(200);
  expect(await good.json()).toEqual({ itemId: ids.colour, gold: { tiers: [[ids.red], [ids.green]], source: 'admin' } });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInAs(page, 'labeler');
  expect((await page.request.delete(url)).status()).toBe(403);
  await page.goto(`/admin/projects/${PROJECT}/items`);
  await expect(page).toHaveURL(/\/label\?denied=1$/);

  // The labeler's next ranking task is the gold item, with nothing that says so.
  const next = await page.request.post(`/api/label/projects/${PROJECT}/next`, { data: { kind: 'RANKING' } });
  expect(next.status()).toBe(200);
  const body = await next.json();
  expect(body).toMatchObject({ status: 'task', task: { item: { id: ids.colour } } });
  expect(JSON.stringify(body)).not.toMatch(/gold|isGold|reference/i);
  expect(Object.keys(body.task.item).sort()).toEqual(['id', 'messages', 'system']);
  expect(body.task.candidates.map((c: { id: string }) => c.id).sort()).toEqual([ids.red, ids.green].sort());
});
