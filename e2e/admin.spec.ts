import { expect, test } from '@playwright/test';
import { signInAs } from './support.ts';

const SLUG = `e2e-admin-${Date.now().toString(36)}`;

test('an admin creates a project, adds the labeler, imports items with progress and sees them on the dashboard', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, 'admin');
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Projects' }).click();
  const form = page.getByTestId('project-form');
  await form.getByLabel('Short name (in URLs)').fill(SLUG);
  await form.getByLabel('Name', { exact: true }).fill('Support chat prompts');
  await form.getByLabel('Rankings per item (overlap k)').fill('3');
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/projects/${SLUG}$`));
  await expect(page.getByTestId('page-title')).toHaveText('Support chat prompts');

  const members = page.getByTestId('members');
  await members.getByLabel('Email of a person').fill('labeler@feedloop.local');
  await members.getByRole('button', { name: 'Add to project' }).click();
  await expect(members).toContainText('labeler@feedloop.local');
  await members.getByLabel('Email of a person').fill('nobody@feedloop.local');
  await members.getByRole('button', { name: 'Add to project' }).click();
  await expect(page.getByTestId('members-error')).toContainText('nobody has the address nobody@feedloop.local');

  await page.getByRole('link', { name: 'Import items' }).click();
  const lines = Array.from({ length: 5000 }, (_, i) =>
    JSON.stringify({ id: `q${i}`, prompt: `How do I reset my password (case ${i})?`, candidates: [{ content: 'Click “Forgot password”.', model: 'a' }, { content: 'Call us.', model: 'b' }] }),
  );
  await page.locator('input[name="file"]').setInputFiles({ name: 'prompts.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(lines.join('\n')) });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expect(page.getByTestId('import-summary')).toHaveText('Imported 5000; 0 already present; 0 bad lines skipped.', { timeout: 60_000 });

  // A file with a bad line imports nothing and says which line.
  await page.locator('input[name="file"]').setInputFiles({ name: 'bad.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from('{"prompt": "fine"}\n{"prompt": 12}\n') });
  await page.getByRole('button', { name: 'Upload and import' }).click();
  await expect(page.getByTestId('import-summary')).toContainText('Nothing was imported: 1 line is bad');
  await expect(page.getByTestId('import-errors')).toContainText('2prompt');

  await page.goto(`/admin?project=${SLUG}`);
  await expect(page.getByTestId('stat-items')).toContainText('5000');
  await expect(page.getByTestId('stat-untouched')).toContainText('5000');

  // The labeler now finds the project on their home page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInAs(page, 'labeler');
  await expect(page.getByTestId(`project-${SLUG}`)).toContainText('5,000 items');
});

test('project settings are validated with a message naming the field', async ({ page }) => {
  await signInAs(page, 'admin');
  const response = await page.request.post('/api/admin/projects', { data: { slug: 'Bad Slug!', name: 'x' } });
  expect(response.status()).toBe(400);
  expect(await response.json()).toMatchObject({ error: 'invalid_input', field: 'slug' });
  const duplicate = await page.request.post('/api/admin/projects', { data: { slug: 'demo', name: 'Again' } });
  expect(duplicate.status()).toBe(409);
  expect((await duplicate.json()).message).toContain('already used');
});
