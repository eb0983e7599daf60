import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { appDatabase, signInAs } from './support.ts';

const API_KEY = 'sk-e2e-stub-key';

interface StubCall {
  authorization: string | undefined;
  model: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
}

/**
 * A stand-in OpenAI chat-completions server on 127.0.0.1: it answers every prompt, except that
 * a prompt containing `failOn` gets HTTP 500 every time, so that one item fails after its retries.
 */
async function startStub(failOn: () => string) {
  const calls: StubCall[] = [];
  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      const body = JSON.parse(raw || '{}') as { model: string; messages: { role: string; content: string }[]; temperature?: number; max_tokens?: number };
      calls.push({ authorization: request.headers.authorization, model: body.model, temperature: body.temperature, maxTokens: body.max_tokens });
      const prompt = body.messages.at(-1)?.content ?? '';
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      };
      if (request.url !== '/v1/chat/completions') return send(404, { error: { message: 'no such route' } });
      if (prompt.includes(failOn())) return send(500, { error: { message: 'the stub refuses this prompt' } });
      send(200, { choices: [{ message: { role: 'assistant', content: `Stub answer ${calls.length} to: ${prompt.slice(0, 40)}` } }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('an admin registers an endpoint, generates two answers per item for a few demo items, and sees the one that failed', async ({ page }) => {
  test.setTimeout(90_000);
  const db = appDatabase();
  let marker = '\u0000not set';
  const stub = await startStub(() => marker);
  try {
    await signInAs(page, 'admin');
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Endpoints' }).click();
    await expect(page).toHaveURL(/\/admin\/endpoints$/);
    await expect(page.getByTestId('page-title')).toHaveText('Model endpoints');
    await expect(page.getByTestId('own-model-hint')).toContainText(/http:\/\/localhost:\d+\/v1/);

    // A cloud metadata address is refused, with the reason next to the Base URL field.
    const form = page.getByTestId('endpoint-form');
    const name = `stub-${Date.now().toString(36)}`;
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Base URL', { exact: true }).fill('http://169.254.169.254/v1');
    await form.getByLabel('Model', { exact: true }).fill('stub-model');
    await form.getByLabel('API key', { exact: true }).fill(API_KEY);
    await form.getByLabel('Temperature').fill('0.5');
    await form.getByLabel('Max tokens').fill('64');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const baseUrl = form.getByLabel('Base URL', { exact: true });
    await expect(baseUrl).toHaveAttribute('aria-invalid', 'true');
    await expect(baseUrl).toHaveAccessibleDescription(/169\.254\.169\.254 resolves to 169\.254\.169\.254, a link-local address/);
    await expect(form.getByTestId('field-error')).toHaveCount(1);
    expect(await db.modelEndpoint.count({ where: { name } })).toBe(0);

    // The stub's address is accepted; the key is stored encrypted and only reported as set.
    await baseUrl.fill(stub.url);
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(page.getByText(`Endpoint “${name}” added.`)).toBeVisible();
    const row = page.getByTestId(`endpoint-row-${name}`);
    await expect(row).toContainText(stub.url);
    await expect(row).toContainText('Set');
    await expect(row).toContainText('temperature 0.5 · max tokens 64');
    const endpoint = await db.modelEndpoint.findUniqueOrThrow({ where: { name } });
    expect(endpoint.apiKeyEncrypted).toBeTruthy();
    expect(endpoint.apiKeyEncrypted).not.toContain(API_KEY);

    // Editing shows the key as write-only, with a way to remove it.
    await row.getByRole('button', { name: `Edit ${name}` }).click();
    await expect(form.getByRole('heading')).toHaveText(`Edit ${name}`);
    await expect(form.getByLabel('API key', { exact: true })).toHaveValue('');
    await expect(form.getByLabel('Remove the stored key')).not.toBeChecked();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form.getByRole('heading')).toHaveText('Add an endpoint');

    // The run asks for the oldest items first; the second of the first three will fail.
    const project = await db.project.findUniqueOrThrow({ where: { slug: 'demo' } });
    const items = await db.item.findMany({ where: { projectId: project.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 3 });
    const [first, failing, third] = items as [(typeof items)[0], (typeof items)[0], (typeof items)[0]];
    marker = (failing.messages as { role: string; content: string }[]).at(-1)!.content;

    await page.goto('/admin/projects/demo');
    await page.getByRole('link', { name: 'Generate candidates' }).click();
    await expect(page).toHaveURL(/\/admin\/projects\/demo\/generate$/);
    await expect(page.getByTestId('page-title')).toHaveText('Generate candidates');

    const generate = page.getByTestId('generate-form');
    const choice = generate.getByTestId(`endpoint-choice-${name}`);
    const use = choice.getByLabel(`Use ${name}`);
    if (!(await use.isChecked())) await use.check();
    // Sampling is prefilled from the endpoint's defaults.
    await expect(choice.getByLabel('Temperature')).toHaveValue('0.5');
    await expect(choice.getByLabel('Max tokens')).toHaveValue('64');
    await choice.getByLabel('Answers per item (1–9)').fill('2');
    await generate.getByLabel(/^All items/).check();
    await generate.getByLabel('At most (items)').fill('3');
    await generate.getByLabel('Calls at once').fill('2');
    await generate.getByRole('button', { name: 'Generate' }).click();

    // The run is queued for the worker process, then runs: the failing item is retried with
    // back-off, so it is still going when the page next polls.
    const run = page.getByTestId('generation-run');
    await expect(run).toHaveAttribute('data-status', 'QUEUED');
    await expect(run.getByTestId('run-queued')).toHaveText('Queued: a worker takes the run up in a moment.');
    await expect(run).toHaveAttribute('data-status', 'RUNNING');
    await expect(run.getByTestId('run-queued')).toHaveCount(0);
    await expect(run).toHaveAttribute('data-status', 'SUCCEEDED', { timeout: 45_000 });
    await expect(run.getByRole('progressbar', { name: 'Generation progress' })).toHaveAttribute('aria-valuenow', '100');
    await expect(run.getByTestId('run-counts')).toHaveText('3 of 3 processed: 2 answered, 1 failed');
    const failures = run.getByTestId('failure');
    await expect(failures).toHaveCount(1);
    await expect(failures.first()).toContainText(failing.externalId);
    await expect(failures.first()).toContainText(name);
    await expect(failures.first()).toContainText(/HTTP 500: the stub refuses this prompt \(after \d+ attempts\)/);
    await expect(failures.first().getByRole('link', { name: failing.externalId })).toHaveAttribute('href', `/admin/projects/demo/items?item=${failing.id}`);
    await expect(run.getByTestId('rerun-note')).toContainText('fills only the missing candidates');

    // The stub was called with the stored key (decrypted on the server), the model and the sampling.
    expect(stub.calls.length).toBeGreaterThanOrEqual(4 + 2);
    for (const call of stub.calls) expect(call).toEqual({ authorization: `Bearer ${API_KEY}`, model: 'stub-model', temperature: 0.5, maxTokens: 64 });

    // Two new candidates on each answered item, none on the failed one.
    const candidates = await db.candidate.findMany({ where: { params: { path: ['endpointId'], equals: endpoint.id } } });
    expect(candidates).toHaveLength(4);
    expect(candidates.filter((c) => c.itemId === first.id)).toHaveLength(2);
    expect(candidates.filter((c) => c.itemId === third.id)).toHaveLength(2);
    for (const candidate of candidates) {
      expect(candidate.origin).toBe('ENDPOINT');
      expect(candidate.model).toBe('stub-model');
      expect(candidate.params).toMatchObject({ endpointId: endpoint.id, endpoint: name, temperature: 0.5, max_tokens: 64 });
      expect(candidate.content).toMatch(/^Stub answer \d+ to: /);
    }

    // The run is listed among the past runs, also when the list is fetched again.
    const runs = page.getByTestId('generation-runs');
    await runs.getByRole('button', { name: 'Refresh' }).click();
    await expect(runs.getByTestId('run-status').first()).toHaveText('Succeeded');
    await expect(runs.locator('tbody tr').first()).toContainText('2 / 3');
  } finally {
    await stub.close();
    await db.$disconnect();
  }
});

test('the endpoint and generation routes are for admins only', async ({ page, request }) => {
  const routes: [string, string][] = [
    ['GET', '/api/admin/endpoints'],
    ['POST', '/api/admin/endpoints'],
    ['PUT', '/api/admin/endpoints/any-id'],
    ['GET', '/api/admin/projects/demo/generation'],
    ['POST', '/api/admin/projects/demo/generation'],
    ['GET', '/api/admin/projects/demo/generation/any-id'],
  ];
  const body = { name: 'x', baseUrl: 'http://127.0.0.1:9/v1', model: 'x' };
  for (const [method, url] of routes) {
    expect((await request.fetch(url, { method, data: method === 'GET' ? undefined : body })).status(), `${method} ${url} anonymous`).toBe(401);
  }
  await signInAs(page, 'labeler');
  for (const [method, url] of routes) {
    expect((await page.request.fetch(url, { method, data: method === 'GET' ? undefined : body })).status(), `${method} ${url}`).toBe(403);
  }
  // Nor do the pages open for a labeler: they land on their own home.
  await page.goto('/admin/endpoints');
  await expect(page).toHaveURL(/\/label\?denied=1$/);
});
