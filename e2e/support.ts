import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { createDb, type Db } from '../lib/db.ts';

export const PASSWORD = 'feedloop';
export const ACCOUNTS = {
  admin: { email: 'admin@feedloop.local', home: '/admin' },
  reviewer: { email: 'reviewer@feedloop.local', home: '/review' },
  labeler: { email: 'labeler@feedloop.local', home: '/label' },
} as const;

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
