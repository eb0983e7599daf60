import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { createDb, type Db } from '../lib/db.ts';

export const PASSWORD = 'feedloop';
export const ACCOUNTS = {
  admin: { email: 'admin@feedloop.local', home: '/admin' },
  reviewer: { email: 'reviewer@feedloop.local', home: '/review' },
  labeler: { email: 'labeler@feedloop.local', home: '/label' },
} as const;

type DemoAccount = keyof typeof ACCOUNTS;

/**
 * A project of a spec's own, so that what the spec counts is not disturbed by other specs: demo
 * accounts as members and, when asked, a published guideline some of them have acknowledged.
 */
export async function e2eProject(
  db: Db,
  input: {
    slug: string;
    name: string;
    settings?: { rankingsPerItem?: number; candidatesPerRanking?: number; demonstrationsPerItem?: number };
    members: Partial<Record<DemoAccount, 'ADMIN' | 'REVIEWER' | 'LABELER'>>;
    guideline?: { title: string; body: string; acknowledgedBy?: DemoAccount[] };
  },
): Promise<{ projectId: string; guidelineId: string | null; users: Record<DemoAccount, string> }> {
  const users = Object.fromEntries(
    await Promise.all(
      (Object.keys(ACCOUNTS) as DemoAccount[]).map(async (who) => [who, (await db.user.findUniqueOrThrow({ where: { email: ACCOUNTS[who].email }, select: { id: true } })).id] as const),
    ),
  ) as Record<DemoAccount, string>;
  const project = await db.project.create({
    data: {
      slug: input.slug,
      name: input.name,
      ...input.settings,
      members: { create: Object.entries(input.members).map(([who, role]) => ({ userId: users[who as DemoAccount], role })) },
    },
  });
  if (!input.guideline) return { projectId: project.id, guidelineId: null, users };
  const guideline = await db.guideline.create({
    data: { projectId: project.id, version: 1, title: input.guideline.title, body: input.guideline.body, publishedAt: new Date(), authorId: users.admin },
  });
  for (const who of input.guideline.acknowledgedBy ?? []) await db.guidelineAck.create({ data: { userId: users[who], guidelineId: guideline.id } });
  return { projectId: project.id, guidelineId: guideline.id, users };
}

/** The database of the app under test (its start script writes the URL in demo mode). */
export function appDatabase(): Db {
  const file = path.join(process.env.FEEDLOOP_E2E_STATE_DIR!, 'database-url');
  return createDb(fs.readFileSync(file, 'utf8').trim());
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel(/email|邮箱/i).fill(email);
  await page.getByLabel(/password|密码/i).fill(password);
  await page.getByRole('button', { name: /sign in|登录/i }).click();
}

export async function signInAs(page: Page, who: keyof typeof ACCOUNTS) {
  await signIn(page, ACCOUNTS[who].email);
  await expect(page).toHaveURL(new RegExp(`${ACCOUNTS[who].home}$`));
}

/**
 * An export of a project with rows on both sides of the train/test split, through the route the
 * Exports page uses. Items are split by a hash of their (random) ids and e2e projects are small,
 * so a seed may put every row on one side: seeds are tried until one does not.
 */
export async function splitExport(
  request: APIRequestContext,
  project: string,
  options: { kind: 'sft'; format: 'messages' } | { kind: 'preference'; format: 'trl' | 'trl-conversational' | 'openai' | 'hh' },
): Promise<{ id: string; rows: number }> {
  for (let seed = 1; seed <= 50; seed++) {
    const response = await request.post('/api/admin/exports', { data: { project, options: { ...options, testFraction: 0.5, seed } } });
    expect(response.status()).toBe(200);
    const done = (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; run?: { id: string; rows: number; files: { name: string; rows: number }[] } })
      .find((message) => message.type === 'done');
    expect(done?.run?.id).toBeTruthy();
    const rows = (name: string) => done!.run!.files.find((f) => f.name === name)?.rows ?? 0;
    if (rows('train.jsonl') > 0 && rows('test.jsonl') > 0) return { id: done!.run!.id, rows: done!.run!.rows };
  }
  throw new Error(`no seed splits the ${options.kind} export of ${project} both ways`);
}
