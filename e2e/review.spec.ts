import { expect, test, type Page } from '@playwright/test';
import { appDatabase, e2eProject, signInAs } from './support.ts';

const PROJECT = 'e2e-review-rankings';

/**
 * A project of its own with one item ranked by two labelers, so that invalidating a ranking
 * here changes nothing another test (an export, say) counts on.
 */
test.beforeAll(async () => {
  const db = appDatabase();
  try {
    if (await db.project.findUnique({ where: { slug: PROJECT } })) return;
    const { projectId, guidelineId, users } = await e2eProject(db, {
      slug: PROJECT,
      name: 'E2E rankings review',
      members: { reviewer: 'REVIEWER', labeler: 'LABELER', admin: 'ADMIN' },
      guideline: { title: 'Rank with care', body: '## Truthful\nNo made-up facts.' },
    });
    const item = await db.item.create({
      data: {
        projectId,
        externalId: 'e2e-review-1',
        messages: [{ role: 'user', content: 'What is the boiling point of water at sea level?' }],
        candidates: {
          create: [
            { content: '100 °C (212 °F).', model: 'm1' },
            { content: 'About 90 °C.', model: 'm2' },
            { content: 'Water does not boil.', model: 'm3' },
          ],
        },
      },
      include: { candidates: { orderBy: { createdAt: 'asc' } } },
    });
    const [good, meh, bad] = item.candidates.map((c) => c.id) as [string, string, string];
    const ratings = (score: number) => ({ helpful: score, truthful: score, harmless: 5 });
    for (const [author, tiers, rationale] of [
      [users.labeler, [[good], [meh], [bad]], 'A is correct; B and C are wrong.'],
      [users.admin, [[bad], [meh, good]], 'C first.'],
    ] as const) {
      const assignment = await db.assignment.create({
        data: { itemId: item.id, userId: author, kind: 'RANKING', status: 'SUBMITTED', leaseExpiresAt: new Date(), finishedAt: new Date() },
      });
      await db.ranking.create({
        data: {
          itemId: item.id,
          assignmentId: assignment.id,
          authorId: author,
          tiers: tiers.map((tier) => [...tier]),
          ratings: { [good]: ratings(5), [meh]: ratings(2), [bad]: ratings(1) },
          flags: { [bad]: ['hallucination'] },
          rationale,
          guidelineId,
        },
      });
    }
  } finally {
    await db.$disconnect();
  }
});

async function replyText(page: Page) {
  return (await page.getByTestId('review-reply').innerText()).trim();
}

/** Submits the chosen verdict from the keyboard and returns what the server answered. */
async function submitVerdict(page: Page) {
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/verdict'));
  await page.keyboard.press('Control+Enter');
  const answer = await response;
  expect(answer.status()).toBe(200);
  return (await answer.json()) as { id: string; demonstrationId: string; revisionId: string | null };
}

test('a reviewer approves, rejects and revises demonstrations, and the labeler sees the verdicts', async ({ page }) => {
  const stamp = Date.now();
  const reason = `The reply states a guess as fact (${stamp}).`;
  const revised = `A corrected reply, written by the reviewer (${stamp}).`;

  await signInAs(page, 'reviewer');
  await expect(page.getByTestId('page-title')).toHaveText('Review queue');
  await expect(page.getByTestId('agreement-link')).toHaveAttribute('href', '/review/agreement');
  const card = page.getByTestId('project-demo');
  await expect(card.getByTestId('project-backlog')).toContainText(/\d+ repl(y|ies) waiting for review/);
  await card.getByRole('link', { name: 'Review replies' }).click();
  await expect(page).toHaveURL(/\/review\/demo$/);

  // The task shows the conversation, the reply, refusal, paste statistics and the guideline version.
  await expect(page.getByTestId('review-reply')).toBeVisible();
  await expect(page.getByTestId('conversation').first()).toBeVisible();
  await expect(page.getByTestId('refusal')).toHaveText(/Marked as a refusal|Not a refusal/);
  await expect(page.getByTestId('paste-stats')).toBeVisible();
  await expect(page.getByTestId('guideline-version')).toContainText('Written under guideline v1: Helpful, truthful, harmless');
  await page.keyboard.press('g');
  await expect(page.getByTestId('guideline-drawer')).toContainText('Harmless');
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts')).toContainText('Submit the verdict');
  await page.keyboard.press('Escape');

  // A marker that a full page load would wipe: the next task must arrive without one.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

  // 1. Approve.
  const first = await replyText(page);
  await page.keyboard.press('a');
  await expect(page.getByTestId('verdict-approve')).toHaveAttribute('aria-pressed', 'true');
  const approved = await submitVerdict(page);
  await expect(page.getByTestId('notice')).toHaveText('Verdict saved. Here is the next reply.');
  await expect.poll(() => replyText(page)).not.toBe(first);

  // 2. Reject: the reason is required and focused.
  const second = await replyText(page);
  await page.keyboard.press('r');
  await expect(page.getByTestId('reject-reason')).toBeFocused();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('submit-error')).toHaveText('Say why you reject this reply.');
  await page.getByTestId('reject-reason').fill(reason);
  const rejected = await submitVerdict(page);
  await expect.poll(() => replyText(page)).not.toBe(second);

  // 3. Revise: edit the reply; the original is kept and a new row is approved.
  await page.keyboard.press('e');
  await expect(page.getByTestId('revise-reply')).toBeFocused();
  await page.getByTestId('revise-reply').fill(revised);
  const revision = await submitVerdict(page);
  expect(revision.revisionId).toBeTruthy();
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);

  const db = appDatabase();
  let originalText = '';
  try {
    expect((await db.demonstration.findUniqueOrThrow({ where: { id: approved.demonstrationId } })).status).toBe('APPROVED');
    expect((await db.demonstration.findUniqueOrThrow({ where: { id: rejected.demonstrationId } })).status).toBe('REJECTED');
    const original = await db.demonstration.findUniqueOrThrow({ where: { id: revision.demonstrationId } });
    expect(original.status).toBe('REVISED');
    originalText = (original.messages as { content: string }[])[0]!.content;
    expect(originalText).not.toBe(revised);
    const created = await db.demonstration.findUniqueOrThrow({ where: { id: revision.revisionId! }, include: { author: true } });
    expect(created).toMatchObject({ revisesId: original.id, status: 'APPROVED', messages: [{ role: 'assistant', content: revised }] });
    expect(created.author.email).toBe('reviewer@feedloop.local');
    expect(await db.review.count({ where: { demonstrationId: rejected.demonstrationId } })).toBe(1);
  } finally {
    await db.$disconnect();
  }

  // The labeler sees the verdicts and the reason in "my work".
  await page.context().clearCookies();
  await signInAs(page, 'labeler');
  const work = page.getByTestId('my-work');
  await expect(work).toContainText(reason);
  const rejectedEntry = work.locator('li').filter({ hasText: reason });
  await expect(rejectedEntry).toContainText('Rejected');
  await expect(rejectedEntry).toContainText('Reviewer: rejected.');
  await expect(work.locator('li').filter({ hasText: originalText.slice(0, 40) }).first()).toContainText('Revised');
  await expect(work.getByText('Approved').first()).toBeVisible();
  await expect(work).not.toContainText(revised);
});

test('a reviewer compares the rankings of an item and marks one invalid', async ({ page }) => {
  await signInAs(page, 'reviewer');
  const card = page.getByTestId(`project-${PROJECT}`);
  await card.getByTestId('ranked-items').getByRole('link', { name: 'What is the boiling point of water at sea level?' }).click();
  await expect(page).toHaveURL(/\/review\/items\/[^/]+$/);
  await expect(page.getByTestId('page-title')).toHaveText('Rankings of one item');

  const rankings = page.getByTestId('ranking');
  await expect(rankings).toHaveCount(2);
  const lena = rankings.filter({ hasText: 'Ranked by Lena Labeler' });
  await expect(lena).toContainText('Guideline v1: Rank with care');
  await expect(lena).toContainText('100 °C (212 °F).');
  await expect(lena).toContainText('Hallucination');
  await expect(lena.getByTestId('ranking-rationale')).toHaveText('A is correct; B and C are wrong.');

  const ada = rankings.filter({ hasText: 'Ranked by Ada Admin' });
  await expect(ada).toHaveAttribute('data-status', 'SUBMITTED');
  await ada.getByTestId('invalidate').click();
  await ada.getByTestId('invalidate-confirm').click();
  await expect(ada.getByRole('alert')).toHaveText('Why is this ranking invalid?');
  await ada.getByTestId('invalidate-reason').fill('Puts the false answer first.');
  await ada.getByTestId('invalidate-confirm').click();
  await expect(ada).toHaveAttribute('data-status', 'INVALID');
  await expect(ada.getByTestId('invalidated')).toContainText('Marked invalid by Rui Reviewer: Puts the false answer first.');
  await expect(lena).toHaveAttribute('data-status', 'SUBMITTED');
});
