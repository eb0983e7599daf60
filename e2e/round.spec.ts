import { expect, test, type Page } from '@playwright/test';
import { DEMO_ITEMS } from '../lib/seed/fixtures.ts';
import { appDatabase, e2eProject, signInAs, splitExport } from './support.ts';

const PROJECT = 'e2e-loop';
const ITEMS = 4;

/**
 * A project of its own made of demo prompts with two imported answers each, so that the round's
 * figures are known: the labeler ranks the bundled model's answer first on three items and last
 * on the fourth.
 */
test.beforeAll(async () => {
  const db = appDatabase();
  try {
    if (await db.project.findUnique({ where: { slug: PROJECT } })) return;
    const { projectId } = await e2eProject(db, {
      slug: PROJECT,
      name: 'E2E loop',
      settings: { rankingsPerItem: 1, candidatesPerRanking: 4 },
      members: { labeler: 'LABELER', admin: 'ADMIN' },
      guideline: { title: 'Rank well', body: '## Helpful\nBe useful.', acknowledgedBy: ['labeler'] },
    });
    for (const fixture of DEMO_ITEMS.filter((item) => item.candidates.length >= 2).slice(0, ITEMS)) {
      await db.item.create({
        data: {
          projectId,
          externalId: fixture.externalId,
          messages: fixture.messages,
          source: 'demo',
          candidates: { create: fixture.candidates.slice(0, 2).map((c) => ({ ...c, origin: 'IMPORT' as const })) },
        },
      });
    }
  } finally {
    await db.$disconnect();
  }
});

/** Polls a training run through the admin API until it ends, and expects it to have succeeded. */
async function finished(page: Page, runId: string) {
  await expect
    .poll(async () => ((await (await page.request.get(`/api/admin/training/${runId}`)).json()) as { run: { status: string } }).run.status, { timeout: 90_000, intervals: [1000] })
    .toMatch(/SUCCEEDED|FAILED|CANCELLED/);
  expect(((await (await page.request.get(`/api/admin/training/${runId}`)).json()) as { run: { status: string; error: string | null } }).run).toMatchObject({ status: 'SUCCEEDED' });
}

/** The letter (A, B, C …) under which the labeler's current task shows the bundled model's answer. */
async function bundledLetter(previous: Set<string>): Promise<{ assignmentId: string; letter: string; count: number }> {
  const db = appDatabase();
  try {
    let found: { id: string; candidateOrder: unknown; itemId: string } | null = null;
    await expect
      .poll(async () => {
        found = await db.assignment.findFirst({
          where: { kind: 'RANKING', status: 'ACTIVE', user: { email: 'labeler@feedloop.local' }, item: { project: { slug: PROJECT } }, id: { notIn: [...previous] } },
          select: { id: true, candidateOrder: true, itemId: true },
        });
        return found !== null;
      })
      .toBe(true);
    const task = found!;
    const order = task.candidateOrder as string[];
    const bundled = await db.candidate.findFirstOrThrow({ where: { itemId: task.itemId, origin: 'BUNDLED' }, select: { id: true } });
    return { assignmentId: task.id, letter: 'ABCDEFGHI'[order.indexOf(bundled.id)]!, count: order.length };
  } finally {
    await db.$disconnect();
  }
}

test('one full round: generate candidates with the bundled model, rank them, export, train a reward model, and read the round on the project page', async ({ page, request }) => {
  test.setTimeout(300_000);
  expect((await request.get(`/api/admin/projects/${PROJECT}/rounds`)).status()).toBe(401);
  await signInAs(page, 'admin');

  // The model that writes the new candidates: a tiny SFT run on the demo project's replies.
  const sftExportRun = await splitExport(page.request, 'demo', { kind: 'sft', format: 'messages' });
  const sft = await page.request.post('/api/admin/training', {
    data: { method: 'sft', exportRunId: sftExportRun.id, config: { layers: 1, width: 16, heads: 2, contextLength: 64, vocabSize: 300, steps: 6, batchSize: 2, evalEvery: 3 } },
  });
  expect(sft.status()).toBe(201);
  const sftRunId = ((await sft.json()) as { run: { id: string } }).run.id;
  await finished(page, sftRunId);

  // Feedloop's own /v1 is registered like any other endpoint, with an inference token.
  const token = await page.request.post('/api/admin/tokens', { data: { name: 'round e2e', scopes: ['inference'] } });
  expect(token.status()).toBe(201);
  const apiKey = ((await token.json()) as { token: string }).token;
  await page.goto('/admin/endpoints');
  const origin = new URL(page.url()).origin;
  const form = page.getByTestId('endpoint-form');
  const name = `bundled-${Date.now().toString(36)}`;
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Base URL', { exact: true }).fill(`${origin}/v1`);
  await form.getByLabel('Model', { exact: true }).fill(sftRunId);
  await form.getByLabel('API key', { exact: true }).fill(apiKey);
  await form.getByLabel('Max tokens').fill('12');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByTestId(`endpoint-row-${name}`)).toBeVisible();

  // One new answer for each item nobody has ranked: all four.
  await page.goto(`/admin/projects/${PROJECT}/generate`);
  const generate = page.getByTestId('generate-form');
  const choice = generate.getByTestId(`endpoint-choice-${name}`);
  await choice.getByLabel(`Use ${name}`).check();
  await choice.getByLabel('Answers per item (1–9)').fill('1');
  await generate.getByLabel(/^Only items nobody has ranked yet/).check();
  await generate.getByRole('button', { name: 'Generate' }).click();
  const run = page.getByTestId('generation-run');
  await expect(run.getByTestId('run-counts')).toHaveText(`${ITEMS} of ${ITEMS} processed: ${ITEMS} answered, 0 failed`, { timeout: 90_000 });

  // The labeler ranks, by keyboard and once by drag and drop: the bundled answer first three times,
  // last once. Answers are rated on every scale.
  const labeler = await page.context().browser()!.newContext();
  const labelerPage = await labeler.newPage();
  await signInAs(labelerPage, 'labeler');
  await labelerPage.goto(`/label/${PROJECT}/rank`);
  const seen = new Set<string>();
  for (let i = 0; i < ITEMS; i++) {
    const task = await bundledLetter(seen);
    seen.add(task.assignmentId);
    // The board shows the new task once nothing on it is ranked.
    for (const letter of 'ABC') await expect(labelerPage.getByTestId(`tier-of-${letter}`)).toHaveText('Not ranked yet');
    expect(task.count).toBe(3);
    const letters = 'ABC'.split('');
    const others = letters.filter((l) => l !== task.letter);
    const order = i < ITEMS - 1 ? [task.letter, ...others] : [...others, task.letter];
    for (const [rank, letter] of order.entries()) {
      if (i === 1) {
        // One ranking by drag and drop: each answer's chip onto a new rank below the others.
        await labelerPage.getByTestId(`chip-${letter}`).dragTo(labelerPage.getByTestId('new-tier'));
      } else {
        await labelerPage.getByTestId(`candidate-${letter}`).locator('header').click();
        await labelerPage.keyboard.press(String(rank + 1));
      }
      await expect(labelerPage.getByTestId(`tier-of-${letter}`)).toHaveText(`Rank ${rank + 1}`);
    }
    for (const letter of letters) {
      for (const dimension of ['Helpful', 'Truthful', 'Harmless']) {
        await labelerPage.getByLabel(`${letter} ${dimension} 4`, { exact: true }).check({ force: true });
      }
    }
    await labelerPage.keyboard.press('Control+Enter');
  }
  await expect(labelerPage.getByTestId('queue-empty')).toBeVisible();
  // Rounds are an admin's business.
  expect((await labelerPage.request.get(`/api/admin/projects/${PROJECT}/rounds`)).status()).toBe(403);
  await labeler.close();

  // The round starts from a preference export of those rankings: 3 pairs per ranking.
  const pairs = await splitExport(page.request, PROJECT, { kind: 'preference', format: 'trl' });
  expect(pairs.rows).toBe(ITEMS * 3);
  await page.goto(`/admin/projects/${PROJECT}`);
  const rounds = page.getByTestId('rounds');
  await expect(rounds.getByTestId('rounds-empty')).toBeVisible();
  await rounds.getByLabel('Preference export').selectOption(pairs.id);
  await rounds.getByRole('button', { name: 'Start round 1' }).click();
  const round = rounds.getByTestId('round-1');
  await expect(round.getByTestId('round-pairs')).toContainText(String(ITEMS * 3));
  await expect(round.getByTestId('round-reward')).toHaveText('not trained yet');
  // An export starts one round only.
  await expect(rounds.locator(`option[value="${pairs.id}"]`)).toHaveCount(0);
  // The API refuses the same export twice, and names the missing field.
  const again = await page.request.post(`/api/admin/projects/${PROJECT}/rounds`, { data: { exportRunId: pairs.id } });
  expect([again.status(), ((await again.json()) as { field: string }).field]).toEqual([409, 'exportRunId']);
  const empty = await page.request.post(`/api/admin/projects/${PROJECT}/rounds`, { data: {} });
  expect([empty.status(), ((await empty.json()) as { field: string }).field]).toEqual([400, 'exportRunId']);

  // A reward model on the round's export, starting from the SFT model, through the Training page.
  await page.goto('/admin/training');
  const training = page.getByTestId('training-form');
  await training.getByLabel('Method').selectOption('reward');
  await training.getByLabel('Export', { exact: true }).selectOption(pairs.id);
  await training.getByLabel('SFT base run').selectOption(sftRunId);
  await training.getByLabel('Steps', { exact: true }).fill('6');
  await training.getByLabel('Batch size', { exact: true }).fill('2');
  await training.getByLabel('Evaluate every (steps)', { exact: true }).fill('3');
  await training.getByRole('button', { name: 'Start training' }).click();
  await expect(page).toHaveURL(/\/admin\/training\/[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId('training-run')).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 90_000 });

  // Round 1 on the project page: pairs, the reward model's held-out accuracy, the model that wrote
  // the candidates, and how often the labeler preferred it: 6 of 8 comparisons.
  await page.goto(`/admin/projects/${PROJECT}`);
  await expect(round.getByTestId('round-reward')).toContainText(/^\d+(\.\d)?%/);
  await expect(round.getByTestId('round-reward')).toContainText(/held-out pairs?/);
  await expect(round.getByTestId('round-dpo')).toHaveText('not trained yet');
  await expect(round.getByTestId('round-model')).toContainText(sftRunId);
  await expect(round.getByTestId('round-candidates')).toHaveText(`${ITEMS} written, ${ITEMS} ranked`);
  await expect(round.getByTestId('round-win-rate')).toContainText('75%');
  await expect(round.getByTestId('round-win-rate')).toContainText('8 comparisons: 6 won, 0 tied, 2 lost');

  // The next candidates come from the round's model in one click: it is registered as an endpoint
  // of this server's own /v1 and chosen, for the items nobody has ranked; a second click reuses it.
  const own = `Round 1 · SFT · ${sftRunId}`;
  for (let click = 0; click < 2; click++) {
    await page.goto(`/admin/projects/${PROJECT}`);
    await round.getByTestId('round-model').getByRole('button', { name: 'Generate candidates with it' }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/projects/${PROJECT}/generate\\?endpoint=`));
    const next = page.getByTestId('generate-form');
    await expect(next.getByTestId(`endpoint-choice-${own}`).getByLabel(`Use ${own}`)).toBeChecked();
    await expect(next.getByTestId(`endpoint-choice-${name}`).getByLabel(`Use ${name}`)).not.toBeChecked();
    await expect(next.getByLabel(/^Only items nobody has ranked yet/)).toBeChecked();
  }
  const db = appDatabase();
  try {
    expect(await db.modelEndpoint.count({ where: { name: own } })).toBe(1);
  } finally {
    await db.$disconnect();
  }
});
