import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { signInAs } from './support.ts';

test('an admin previews and runs an export, downloads it, and streams one with an API token until it is revoked', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, 'admin');
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Exports' }).click();
  await expect(page).toHaveURL(/\/admin\/exports$/);
  await expect(page.getByTestId('page-title')).toHaveText('Exports');

  const form = page.getByTestId('export-form');
  await form.getByLabel('Project').selectOption('demo');
  await form.getByLabel('Kind').selectOption('preference');
  await form.getByLabel('Format').selectOption('trl-conversational');

  // Preview: the first rows, pretty-printed.
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByTestId('export-preview');
  await expect(preview.getByTestId('preview-row').first()).toBeVisible();
  expect(await preview.getByTestId('preview-row').count()).toBeLessThanOrEqual(5);
  const first = JSON.parse((await preview.locator('pre').first().textContent()) ?? 'null');
  expect(Array.isArray(first.prompt) && Array.isArray(first.chosen) && Array.isArray(first.rejected)).toBe(true);

  // Run: a progress bar, then the download links.
  await form.getByRole('button', { name: 'Run export' }).click();
  const progress = page.getByTestId('export-progress');
  await expect(progress.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(progress).toContainText(/Done: \d+ rows? exported/);
  const result = page.getByTestId('export-result');
  const trainLink = result.getByRole('link', { name: 'train.jsonl', exact: true });
  await expect(trainLink).toBeVisible();
  await expect(result.getByRole('link', { name: 'manifest.json', exact: true })).toBeVisible();
  const href = (await trainLink.getAttribute('href'))!;
  const runId = href.split('/')[4]!;
  expect(href).toBe(`/api/admin/exports/${runId}/files/train.jsonl`);

  const downloading = page.waitForEvent('download');
  await trainLink.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`demo-${runId}-train.jsonl`);
  const lines = fs.readFileSync(await download.path(), 'utf8').split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    const row = JSON.parse(line);
    expect(Array.isArray(row.chosen), line).toBe(true);
    expect(Array.isArray(row.rejected), line).toBe(true);
  }

  // The run is listed with its files; names it does not list are not served.
  const run = page.getByTestId(`export-run-${runId}`);
  await expect(run).toContainText('trl-conversational');
  await expect(run.getByRole('link', { name: 'train.jsonl', exact: true })).toBeVisible();
  expect((await page.request.get(`/api/admin/exports/${runId}/files/test.jsonl`)).status()).toBe(404);
  expect((await page.request.get(`/api/admin/exports/${runId}/files/package.json`)).status()).toBe(404);
  expect((await page.request.get(`/api/admin/exports/${runId}/files/manifest.json`)).status()).toBe(200);

  // An API token: shown once, with a curl example; it streams JSONL until it is revoked.
  const tokens = page.getByTestId('api-tokens');
  const name = `e2e pipeline ${Date.now().toString(36)}`;
  await tokens.getByLabel('Token name').fill(name);
  await tokens.getByRole('button', { name: 'Create token' }).click();
  const token = await tokens.getByTestId('issued-token-value').inputValue();
  expect(token).toMatch(/^fl_/);
  await expect(tokens.getByTestId('issued-token')).toContainText('shown only this once');
  await expect(tokens.getByTestId('curl-example')).toContainText(`curl -H "Authorization: Bearer ${token}"`);
  await expect(tokens.getByTestId('curl-example')).toContainText('/api/export/demo?kind=preference&format=trl&split=train');

  const url = '/api/export/demo?kind=preference&format=hh';
  const headers = { Authorization: `Bearer ${token}` };
  const streamed = await page.request.get(url, { headers });
  expect(streamed.status()).toBe(200);
  expect(streamed.headers()['content-type']).toContain('application/x-ndjson');
  const rows = (await streamed.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.chosen).toContain('\n\nAssistant: ');
    expect(row.rejected).toContain('\n\nAssistant: ');
  }

  await tokens.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(tokens.getByTestId('tokens-notice')).toContainText(`Token “${name}” revoked`);
  await expect(tokens.getByTestId('issued-token')).toBeHidden();
  const listed = tokens.getByTestId('tokens-list').getByRole('row').filter({ hasText: name });
  await expect(listed).toContainText('Revoked');
  await expect(listed).not.toContainText('Never');

  // A token for the model only: it calls /v1 and cannot export.
  const modelToken = `e2e model ${Date.now().toString(36)}`;
  await tokens.getByLabel('Token name').fill(modelToken);
  await tokens.getByLabel('stream exports').uncheck();
  await tokens.getByLabel('call the model (/v1)').check();
  await tokens.getByRole('button', { name: 'Create token' }).click();
  const inferenceToken = await tokens.getByTestId('issued-token-value').inputValue();
  await expect(tokens.getByTestId('curl-example')).toContainText('/v1/chat/completions');
  await expect(tokens.getByTestId('curl-example')).not.toContainText('/api/export/');
  await expect(tokens.getByTestId('tokens-list').getByRole('row').filter({ hasText: modelToken })).toContainText('call the model (/v1)');
  expect((await page.request.get(url, { headers: { Authorization: `Bearer ${inferenceToken}` } })).status()).toBe(403);
  const models = await page.request.get('/v1/models', { headers: { Authorization: `Bearer ${inferenceToken}` } });
  expect(models.status()).toBe(200);
  expect((await models.json()).object).toBe('list');
  expect((await page.request.get(url, { headers })).status()).toBe(401);
});

test('the labeler can reach neither the exports page nor its API', async ({ page }) => {
  await signInAs(page, 'labeler');
  expect((await page.request.get('/api/admin/exports')).status()).toBe(403);
  expect((await page.request.get('/api/admin/tokens')).status()).toBe(403);
  expect((await page.request.post('/api/admin/exports/preview', { data: { project: 'demo', options: { kind: 'preference', format: 'trl' } } })).status()).toBe(403);
  expect((await page.request.get('/api/admin/exports/any/files/train.jsonl')).status()).toBe(403);
  await page.goto('/admin/exports');
  await expect(page).toHaveURL(/\/label(\?|$)/);
});
