import { expect, test } from '@playwright/test';
import { DEMO_GUIDELINE } from '../lib/seed/fixtures.ts';
import { appDatabase, signInAs } from './support.ts';

// Projects of this spec's own, so that publishing here never changes the demo project's
// version numbers that the labeling spec expects (and a retry finds its own state).
const PROJECT = 'e2e-guidelines';
const EMPTY = 'e2e-guidelines-empty';

test.beforeAll(async () => {
  const db = appDatabase();
  try {
    const admin = await db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } });
    const labeler = await db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } });
    if (!(await db.project.findUnique({ where: { slug: PROJECT } }))) {
      const project = await db.project.create({
        data: {
          slug: PROJECT,
          name: 'E2E guidelines',
          members: { create: [{ userId: admin.id, role: 'ADMIN' }, { userId: labeler.id, role: 'LABELER' }] },
        },
      });
      await db.guideline.create({
        data: { projectId: project.id, version: 1, title: 'Helpful, truthful, harmless', body: DEMO_GUIDELINE, publishedAt: new Date(), authorId: admin.id },
      });
    }
    if (!(await db.project.findUnique({ where: { slug: EMPTY } }))) {
      await db.project.create({ data: { slug: EMPTY, name: 'E2E guidelines, nothing published' } });
    }
  } finally {
    await db.$disconnect();
  }
});

/** The project's highest published version and its text, read from the database. */
async function latestVersion(slug: string) {
  const db = appDatabase();
  try {
    return await db.guideline.findFirstOrThrow({
      where: { project: { slug }, publishedAt: { not: null } },
      orderBy: { version: 'desc' },
      select: { id: true, version: true, title: true, body: true },
    });
  } finally {
    await db.$disconnect();
  }
}

test('an admin edits the guideline with a live preview, saves a draft, publishes the next version and compares it', async ({ page }) => {
  const before = await latestVersion(PROJECT);
  const next = before.version + 1;
  const added = `- Give temperatures in °C first, °F in brackets (${Date.now()}).`;

  await signInAs(page, 'admin');
  await page.goto(`/admin/projects/${PROJECT}/guidelines`);
  await expect(page.getByTestId('page-title')).toHaveText('Guidelines: E2E guidelines');
  await expect(page.getByTestId('live-version')).toHaveAttribute('data-version', String(before.version));

  // Editing the text updates the preview as you type.
  const body = page.getByTestId('guideline-body');
  await body.fill(`${before.body.trimEnd()}\n${added}\n`);
  await expect(page.getByTestId('guideline-preview')).toContainText(added.slice(2));
  await expect(page.getByTestId('unsaved')).toBeVisible();

  // The changes view shows the new line against the live version.
  await page.getByTestId('changes-tab').click();
  await expect(page.getByTestId('side-by-side').locator('[data-side="right"][data-kind="added"]')).toContainText([added]);
  await page.getByRole('tab', { name: 'Preview' }).click();

  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('editor-notice')).toContainText('Draft saved');
  await expect(page.getByTestId('draft-status')).toContainText(`Draft of version ${next}`);
  await expect(page.getByTestId('unsaved')).toBeHidden();

  const db = appDatabase();
  try {
    const drafts = await db.guideline.findMany({ where: { project: { slug: PROJECT }, publishedAt: null } });
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.version).toBe(next);
    expect(drafts[0]!.body).toContain(added);
    // The live version is untouched by the draft.
    expect((await db.guideline.findUniqueOrThrow({ where: { id: before.id } })).body).toBe(before.body);
  } finally {
    await db.$disconnect();
  }

  // The draft survives a reload, and the editor opens on it.
  await page.reload();
  await expect(page.getByTestId('guideline-body')).toHaveValue(new RegExp(added.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

  await page.getByRole('button', { name: `Publish version ${next}` }).click();
  await expect(page.getByTestId('publish-confirm')).toContainText(`Publish version ${next}?`);
  await page.getByTestId('confirm-publish').click();
  await expect(page.getByTestId('editor-notice')).toContainText(`Version ${next} is published.`);
  await expect(page.getByTestId('live-version')).toHaveAttribute('data-version', String(next));

  const after = await latestVersion(PROJECT);
  expect(after.version).toBe(next);
  expect(after.body).toContain(added);
  const audit = appDatabase();
  try {
    expect(await audit.guideline.count({ where: { project: { slug: PROJECT }, publishedAt: null } })).toBe(0);
    const actions = await audit.auditLog.findMany({ where: { entityId: after.id }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['guideline.draft_save', 'guideline.publish']));
  } finally {
    await audit.$disconnect();
  }

  // History: every version, and the two compared side by side with the added line on the right.
  await page.getByTestId('tab-history').click();
  await expect(page).toHaveURL(new RegExp(`/admin/projects/${PROJECT}/guidelines/history`));
  await expect(page.getByTestId(`version-${next}`)).toContainText('Ada Admin');
  await expect(page.getByTestId(`version-${before.version}`)).toBeVisible();
  await page.getByTestId('compare-left').selectOption(String(before.version));
  await page.getByTestId('compare-right').selectOption(String(next));
  await page.getByTestId('compare').click();
  await expect(page).toHaveURL(new RegExp(`left=${before.version}&right=${next}`));
  const diff = page.getByTestId('side-by-side');
  await expect(page.getByTestId('side-left')).toContainText(`Version ${before.version}`);
  await expect(page.getByTestId('side-right')).toContainText(`Version ${next}`);
  await expect(diff.locator('[data-side="right"][data-kind="added"]')).toContainText([added]);
  await expect(diff.locator('[data-side="left"][data-kind="removed"]')).toHaveCount(0);
  await expect(diff.locator('[data-side="left"][data-kind="same"]').first()).toContainText('# Demo project guideline');
  await expect(page.getByTestId('compare-summary')).toContainText('1 line added');

  // Acknowledgements: the labeler has not read the new version yet.
  await page.getByTestId('tab-acknowledgements').click();
  await expect(page.getByTestId('pending-acks')).toContainText(`Not yet acknowledged version ${next}`);
  await expect(page.getByTestId('pending-acks')).toContainText('labeler@feedloop.local');
});

test('a project without a guideline starts from the template, and bad input is named', async ({ page }) => {
  await signInAs(page, 'admin');
  await page.goto(`/admin/projects/${EMPTY}/guidelines`);
  await expect(page.getByTestId('editor-status')).toContainText('Nothing is published yet');
  await expect(page.getByTestId('guideline-body')).toHaveValue(/## Helpful[\s\S]*## Truthful[\s\S]*## Harmless/);
  const preview = page.getByTestId('guideline-preview');
  await expect(preview.getByRole('heading', { name: 'A good refusal' })).toBeVisible();
  await expect(preview.getByRole('heading', { name: 'A hallucination' })).toBeVisible();

  await page.getByTestId('guideline-title').fill('');
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('editor-error')).toHaveText('Title: write 1 to 200 characters.');
  await expect(page.getByTestId('guideline-title')).toHaveAttribute('aria-invalid', 'true');

  const response = await page.request.put(`/api/admin/projects/${EMPTY}/guidelines/draft`, { data: { title: 'T', body: 'x'.repeat(100_001) } });
  expect(response.status()).toBe(400);
  expect(await response.json()).toMatchObject({ error: 'invalid_input', field: 'body' });

  const unknown = await page.request.get('/api/admin/projects/no-such-project/guidelines');
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error).toBe('not_found');
  expect((await page.goto('/admin/projects/no-such-project/guidelines'))?.status()).toBe(404);
});

test('labelers cannot reach the guideline admin pages or routes', async ({ page }) => {
  await signInAs(page, 'labeler');
  const response = await page.request.post(`/api/admin/projects/${PROJECT}/guidelines/publish`, { data: { title: 'Mine', body: 'Mine.' } });
  expect(response.status()).toBe(403);
  await page.goto(`/admin/projects/${PROJECT}/guidelines`);
  await expect(page).toHaveURL(/\/label\?denied=1$/);
});
