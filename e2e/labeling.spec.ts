import { expect, test, type Page } from '@playwright/test';
import { publishGuideline } from '../lib/guidelines/gate.ts';
import { appDatabase, e2eProject, signInAs } from './support.ts';

const PROJECT = 'e2e-rank';

/** A project of its own with one item and four candidates, so the ranking test knows what it gets. */
test.beforeAll(async () => {
  const db = appDatabase();
  try {
    if (await db.project.findUnique({ where: { slug: PROJECT } })) return;
    const { projectId } = await e2eProject(db, {
      slug: PROJECT,
      name: 'E2E ranking',
      settings: { rankingsPerItem: 3 },
      members: { labeler: 'LABELER' },
      guideline: { title: 'Rank well', body: '## Helpful\nBe useful.', acknowledgedBy: ['labeler'] },
    });
    await db.item.create({
      data: {
        projectId,
        externalId: 'e2e-1',
        messages: [{ role: 'user', content: 'Name a prime number between 10 and 20.' }],
        candidates: {
          create: [
            { content: '11 is prime.', model: 'm1' },
            { content: '13 is a prime number.', model: 'm2' },
            { content: '15 is prime.', model: 'm3' },
            { content: 'I cannot answer questions about numbers.', model: 'm4' },
          ],
        },
      },
    });
  } finally {
    await db.$disconnect();
  }
});

async function promptText(page: Page) {
  return (await page.getByTestId('conversation').innerText()).trim();
}

test('a labeler acknowledges the guideline, writes a reply that survives a reload, and submits it once', async ({ page }) => {
  await signInAs(page, 'labeler');
  await page.getByTestId('project-demo').getByRole('link', { name: 'Write replies' }).click();

  const gate = page.getByTestId('guideline-gate');
  await expect(gate).toContainText('Read the guideline (version 1) before you start');
  await expect(gate).toContainText('Harmless');
  await gate.getByRole('button', { name: 'I have read the guideline' }).click();

  const reply = page.getByTestId('reply');
  await expect(reply).toBeVisible();
  const firstPrompt = await promptText(page);
  await reply.fill('Here is the ideal');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-status', 'saved');

  await page.reload();
  await expect(page.getByTestId('reply')).toHaveValue('Here is the ideal');
  expect(await promptText(page)).toBe(firstPrompt);
  await expect(page.getByTestId('char-count')).toHaveText('17 characters');
  await expect(page.getByText('Very short reply')).toBeVisible();

  await page.getByTestId('reply').fill('Here is the ideal reply, written by a person who read the guideline.');
  await page.getByLabel('This should be refused').check();
  await expect(page.getByText('Write the refusal the guideline asks for')).toBeVisible();
  await page.getByLabel('This should be refused').uncheck();

  // A marker that a full page load would wipe: the next task must arrive without one.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/demonstration')) posts.push(request.url());
  });
  await page.getByTestId('submit').dblclick();
  await expect(page.getByTestId('notice')).toHaveText('Submitted. Here is the next task.');
  await expect.poll(() => promptText(page)).not.toBe(firstPrompt);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  expect(posts).toHaveLength(1);

  const db = appDatabase();
  try {
    const stored = await db.demonstration.findMany({
      where: { author: { email: 'labeler@feedloop.local' }, messages: { array_contains: [{ content: 'Here is the ideal reply, written by a person who read the guideline.' }] } },
      include: { guideline: true, assignment: { include: { draft: true } } },
    });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.messages).toEqual([{ role: 'assistant', content: 'Here is the ideal reply, written by a person who read the guideline.' }]);
    expect(stored[0]!.guideline?.version).toBe(1);
    expect(stored[0]!.assignment?.status).toBe('SUBMITTED');
    expect(stored[0]!.assignment?.draft).toBeNull();
  } finally {
    await db.$disconnect();
  }

  await page.goto('/label');
  await expect(page.getByTestId('my-work')).toContainText('Here is the ideal reply, written by a person who read the guideline.');
});

test('a retried submit with the same key stores one demonstration', async ({ page }) => {
  await signInAs(page, 'labeler');
  await page.goto('/label/demo/write');
  await expect(page.getByTestId('reply')).toBeVisible();
  const next = await (await page.request.post('/api/label/projects/demo/next', { data: { kind: 'DEMONSTRATION' } })).json();
  const id = next.task.assignmentId as string;
  const body = { clientKey: crypto.randomUUID(), reply: 'Sent twice over a flaky network.' };
  const [a, b] = await Promise.all([
    page.request.post(`/api/label/tasks/${id}/demonstration`, { data: body }),
    page.request.post(`/api/label/tasks/${id}/demonstration`, { data: body }),
  ]);
  expect([a.status(), b.status()]).toEqual([200, 200]);
  expect((await a.json()).id).toBe((await b.json()).id);
  const other = await page.request.post(`/api/label/tasks/${id}/demonstration`, { data: { ...body, clientKey: crypto.randomUUID() } });
  expect(other.status()).toBe(409);
  expect((await other.json()).error).toBe('already_submitted');
});

test('a labeler ranks four candidates by keyboard with a tie, ratings, a flag and a rationale', async ({ page }) => {
  await signInAs(page, 'labeler');
  await page.goto(`/label/${PROJECT}/rank`);
  for (const letter of 'ABCD') await expect(page.getByTestId(`candidate-${letter}`)).toBeVisible();
  // Model names are never shown to labelers.
  await expect(page.locator('body')).not.toContainText('m1');

  await page.getByTestId('candidate-A').locator('header').click();
  await page.keyboard.press('1');
  await page.keyboard.press('1');
  await page.keyboard.press('2');
  await page.keyboard.press('3');
  await expect(page.getByTestId('tier-of-A')).toHaveText('Rank 1 (tie)');
  await expect(page.getByTestId('tier-of-B')).toHaveText('Rank 1 (tie)');
  await expect(page.getByTestId('tier-of-C')).toHaveText('Rank 2');
  await expect(page.getByTestId('tier-of-D')).toHaveText('Rank 3');

  // Arrows move the selected answer: D up into C's rank and back down again.
  await page.getByTestId('candidate-D').locator('header').click();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('tier-of-D')).toHaveText('Rank 2 (tie)');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('tier-of-D')).toHaveText('Rank 3');

  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('submit-error')).toContainText('Rate answer A on all three scales');

  const scores: Record<string, number> = { A: 5, B: 5, C: 3, D: 1 };
  for (const [letter, score] of Object.entries(scores)) {
    for (const dimension of ['Helpful', 'Truthful', 'Harmless']) {
      await page.getByLabel(`${letter} ${dimension} ${score}`, { exact: true }).check({ force: true });
    }
  }
  await page.getByLabel('D Hallucination / factual error').check();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('submit-error')).toContainText('Write a rationale');
  await page.getByTestId('rationale').fill('A and B are both correct; C is not prime; D refuses for no reason.');
  await page.getByTestId('rationale').press('Control+Enter');
  await expect(page.getByTestId('queue-empty')).toBeVisible();

  const db = appDatabase();
  try {
    const ranking = await db.ranking.findFirstOrThrow({
      where: { item: { project: { slug: PROJECT } } },
      include: { assignment: true },
    });
    const order = ranking.assignment!.candidateOrder as string[];
    const [A, B, C, D] = order;
    expect(ranking.tiers).toEqual([[A, B], [C], [D]]);
    expect(ranking.flags).toEqual({ [D!]: ['hallucination'] });
    expect(ranking.ratings).toMatchObject({ [A!]: { helpful: 5, truthful: 5, harmless: 5 }, [D!]: { helpful: 1 } });
    expect(ranking.rationale).toContain('C is not prime');
  } finally {
    await db.$disconnect();
  }
});

test('after an admin publishes a new guideline version, the labeler sees what changed and acknowledges again', async ({ page }) => {
  const db = appDatabase();
  try {
    const project = await db.project.findUniqueOrThrow({ where: { slug: 'demo' }, include: { guidelines: { orderBy: { version: 'desc' }, take: 1 } } });
    const admin = await db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } });
    const current = project.guidelines[0]!;
    await publishGuideline(db, {
      projectId: project.id,
      authorId: admin.id,
      title: current.title,
      body: `${current.body}\n## Formatting\n- Use metric units first, imperial in brackets.\n`,
    });
  } finally {
    await db.$disconnect();
  }

  await signInAs(page, 'labeler');
  await page.goto('/label/demo/write');
  const gate = page.getByTestId('guideline-gate');
  await expect(gate).toContainText('The guideline changed: version 1 → 2');
  await expect(page.getByTestId('guideline-diff').locator('[data-kind="added"]')).toContainText(['Use metric units first']);
  await gate.getByRole('button', { name: 'I have read the guideline' }).click();
  await expect(page.getByTestId('reply')).toBeVisible();

  // The guideline stays one key away while working.
  await page.locator('body').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('g');
  await expect(page.getByTestId('guideline-drawer')).toContainText('Use metric units first');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('guideline-drawer')).toBeHidden();
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts')).toContainText('Submit');
});

test('a labeler outside a project gets 403 from its routes and is sent home from its pages', async ({ page }) => {
  await signInAs(page, 'reviewer');
  const response = await page.request.post(`/api/label/projects/${PROJECT}/next`, { data: { kind: 'RANKING' } });
  expect(response.status()).toBe(403);
  expect((await response.json()).error).toBe('not_a_member');
  await page.goto(`/label/${PROJECT}/rank`);
  await expect(page).toHaveURL(/\/label\?denied=1$/);
});
