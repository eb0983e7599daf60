import { expect, test } from '@playwright/test';
import { signInAs } from './support.ts';

test('the language switch changes the UI and is remembered', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in to Feedloop' })).toBeVisible();
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByRole('heading', { name: '登录 Feedloop' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  await page.reload();
  await expect(page.getByRole('heading', { name: '登录 Feedloop' })).toBeVisible();

  await signInAs(page, 'labeler');
  await expect(page.getByTestId('page-title')).toHaveText('我的任务');
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();

  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByTestId('page-title')).toHaveText('My work');
});

test('a language saved on the account follows the user to a new browser', async ({ browser }) => {
  const first = await browser.newContext();
  const page = await first.newPage();
  await signInAs(page, 'reviewer');
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByTestId('page-title')).toHaveText('审核队列');
  await first.close();

  const second = await browser.newContext();
  const fresh = await second.newPage();
  await signInAs(fresh, 'reviewer');
  await expect(fresh.getByTestId('page-title')).toHaveText('审核队列');
  await fresh.getByLabel('语言').selectOption('en');
  await expect(fresh.getByTestId('page-title')).toHaveText('Review queue');
  await second.close();
});
