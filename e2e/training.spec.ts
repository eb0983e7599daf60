import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { signInAs, splitExport } from './support.ts';

test('an admin trains a tiny SFT model on an export, watches it finish with its curves, and downloads the weights', async ({ page, request }) => {
  test.setTimeout(120_000);
  // Nobody signed in gets nothing from the training API.
  expect((await request.get('/api/admin/training')).status()).toBe(401);

  await signInAs(page, 'admin');
  const { id: exportId } = await splitExport(page.request, 'demo', { kind: 'sft', format: 'messages' });

  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Training' }).click();
  await expect(page).toHaveURL(/\/admin\/training$/);
  await expect(page.getByTestId('page-title')).toHaveText('Training');

  const form = page.getByTestId('training-form');
  await form.getByLabel('Method').selectOption('sft');
  await form.getByLabel('Export', { exact: true }).selectOption(exportId);
  // Defaults are shown beside each field.
  await expect(form.getByLabel('Steps', { exact: true })).toHaveValue('300');
  await expect(form.getByText('Default: 300')).toBeVisible();
  for (const [label, value] of [
    ['Layers', '1'],
    ['Width', '16'],
    ['Attention heads', '2'],
    ['Context length (tokens)', '32'],
    ['Vocabulary size', '300'],
    ['Steps', '6'],
    ['Batch size', '2'],
    ['Evaluate every (steps)', '2'],
  ] as const) {
    await form.getByLabel(label, { exact: true }).fill(value);
  }
  await form.getByRole('button', { name: 'Start training' }).click();

  await expect(page).toHaveURL(/\/admin\/training\/[A-Za-z0-9_-]+$/);
  const runId = page.url().split('/').at(-1)!;
  const run = page.getByTestId('training-run');
  await expect(page.getByTestId('page-title')).toHaveText('SFT run');
  // The page polls the run until it ends.
  await expect(run).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 90_000 });
  const progress = page.getByTestId('run-progress');
  await expect(progress).toContainText('Step 6 of 6');
  await expect(progress.getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('run-loss')).toHaveText(/^\d/);
  await expect(page.getByTestId('held-out-loss')).toHaveText(/^\d/);
  await expect(page.getByTestId('baseline')).toHaveText(/^\d/);

  // Both curves are drawn: training loss over steps, held-out loss over evaluations.
  await expect(page.getByTestId('train-loss-chart').locator('.recharts-line-curve')).toBeVisible();
  await expect(page.getByTestId('held-out-chart').locator('.recharts-line-curve')).toBeVisible();
  await expect(page.getByTestId('held-out-chart').locator('.recharts-line-dot')).toHaveCount(4);

  // The weights download as a safetensors file: an 8-byte header length, then a JSON header.
  const files = page.getByTestId('checkpoint-files');
  const weights = files.getByRole('link', { name: 'model.safetensors', exact: true });
  await expect(weights).toHaveAttribute('href', `/api/admin/training/${runId}/files/model.safetensors`);
  const downloading = page.waitForEvent('download');
  await weights.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`sft-${runId}-model.safetensors`);
  const bytes = fs.readFileSync((await download.path())!);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype?: string }>;
  expect(Object.values(header).some((entry) => entry.dtype === 'F32')).toBe(true);
  expect((await page.request.get(`/api/admin/training/${runId}/files/optimizer.safetensors`)).status()).toBe(404);
  expect((await page.request.get(`/api/admin/training/${runId}/files/package.json`)).status()).toBe(404);

  // The list shows the run with how far it went and its latest held-out figure.
  await page.getByRole('link', { name: 'All training runs' }).click();
  const row = page.getByTestId(`training-run-${runId}`);
  await expect(row).toContainText('Succeeded');
  await expect(row).toContainText('6 / 6');
  await expect(row).toContainText(/loss \d/);
});
