import { expect, test } from '@playwright/test';
import { hashPassword } from '../lib/auth/password.ts';
import { createPasswordReset } from '../lib/people/invites.ts';
import { ACCOUNTS, appDatabase, signIn, signInAs } from './support.ts';

test.describe('signing in', () => {
  test('each demo account lands on its own home page', async ({ page }) => {
    const titles = { admin: 'Dashboard', reviewer: 'Review queue', labeler: 'My work' } as const;
    for (const who of ['admin', 'reviewer', 'labeler'] as const) {
      await signInAs(page, who);
      await expect(page.getByTestId('page-title')).toHaveText(titles[who]);
      await expect(page.getByTestId('whoami')).toContainText(who === 'admin' ? 'Admin' : who === 'reviewer' ? 'Reviewer' : 'Labeler');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page).toHaveURL(/\/login/);
    }
  });

  test('the admin sees the demo project on the dashboard', async ({ page }) => {
    await signInAs(page, 'admin');
    await expect(page.getByRole('link', { name: 'Demo: helpful, truthful, harmless' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('stat-items')).toContainText('20');
    await expect(page.getByTestId('labelers-table')).toContainText('Lena Labeler');
  });

  test('the labeler sees their project with its items', async ({ page }) => {
    await signInAs(page, 'labeler');
    const project = page.getByTestId('project-demo');
    await expect(project).toContainText('Demo: helpful, truthful, harmless');
    await expect(project).toContainText('20 items');
  });

  test('a wrong password is refused with a clear message', async ({ page }) => {
    await signIn(page, ACCOUNTS.labeler.email, 'not-the-password');
    await expect(page.getByTestId('login-error')).toHaveText('Wrong email or password.');
    await expect(page).toHaveURL(/\/login/);
  });

  test('missing and oversized fields get a message, not a stack trace', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toHaveText('Enter your email address.');
    await page.getByLabel('Email').fill('labeler@feedloop.local');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toHaveText('Enter your password.');
    await page.getByLabel('Email').fill(`${'x'.repeat(300)}@feedloop.local`);
    await page.getByLabel('Password').fill('feedloop');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toContainText('too long');
    await page.getByLabel('Email').fill('labeler@feedloop.local');
    await page.getByLabel('Password').fill('p'.repeat(200));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toContainText('too long');
  });

  test('the server itself rejects malformed sign-ins without a stack trace', async ({ request }) => {
    const csrf = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
    const response = await request.post('/api/auth/callback/credentials', {
      form: { csrfToken: csrf.csrfToken, email: 'x'.repeat(10_000), password: '', json: 'true' },
      headers: { 'X-Auth-Return-Redirect': '1' },
    });
    const body = await response.text();
    expect(body).not.toMatch(/at .*\.js:\d+/);
    expect(body).toContain('email_too_long');
  });

  test('a deactivated user cannot sign in', async ({ page }) => {
    const db = appDatabase();
    try {
      await db.user.upsert({
        where: { email: 'gone@feedloop.local' },
        update: { active: false },
        create: { email: 'gone@feedloop.local', name: 'Gone', role: 'LABELER', active: false, passwordHash: await hashPassword('feedloop') },
      });
    } finally {
      await db.$disconnect();
    }
    await signIn(page, 'gone@feedloop.local');
    await expect(page.getByTestId('login-error')).toContainText('deactivated');
  });

  test('repeated failures are throttled with 429', async ({ page, request }) => {
    const email = 'reviewer@feedloop.local';
    for (let i = 0; i < 5; i++) {
      await signIn(page, email, `wrong-${i}`);
      await expect(page.getByTestId('login-error')).toHaveText('Wrong email or password.');
    }
    await signIn(page, email);
    await expect(page.getByTestId('login-error')).toContainText('Too many failed attempts');

    const csrf = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
    const response = await request.post('/api/auth/callback/credentials', {
      form: { csrfToken: csrf.csrfToken, email, password: 'feedloop', json: 'true' },
    });
    expect(response.status()).toBe(429);

    // Clean up so that later tests can sign in as the reviewer.
    const db = appDatabase();
    await db.signInFailure.deleteMany({ where: { key: `email:${email}` } });
    await db.$disconnect();
  });
});

test.describe('roles', () => {
  test('a labeler asking for an admin page is sent to their own home', async ({ page }) => {
    await signInAs(page, 'labeler');
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/label\?denied=1$/);
    await expect(page.getByTestId('denied')).toBeVisible();
    await page.goto('/review');
    await expect(page).toHaveURL(/\/label\?denied=1$/);
  });

  test('a labeler calling an admin route handler gets 403', async ({ page }) => {
    await signInAs(page, 'labeler');
    const response = await page.request.get('/api/admin/users');
    expect(response.status()).toBe(403);
    expect(await response.json()).toEqual({ error: 'forbidden' });
    expect((await page.request.get('/api/me')).status()).toBe(200);
  });

  test('an admin can call the admin route handler', async ({ page }) => {
    await signInAs(page, 'admin');
    const response = await page.request.get('/api/admin/users');
    expect(response.status()).toBe(200);
    const { users } = (await response.json()) as { users: { email: string }[] };
    expect(users.map((u) => u.email)).toContain('labeler@feedloop.local');
  });

  test('anonymous requests to non-public routes are refused', async ({ page, request }) => {
    for (const path of ['/', '/label', '/review', '/admin']) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login/);
    }
    expect((await request.get('/api/me')).status()).toBe(401);
    expect((await request.get('/api/admin/users')).status()).toBe(401);
    const health = await request.get('/api/health');
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ ok: true, db: 'up' });
  });
});

test.describe('headers', () => {
  test('pages carry an enforced CSP with a nonce, nosniff and a frame-ancestors rule', async ({ request }) => {
    const response = await request.get('/login');
    const headers = response.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});

test.describe('sessions', () => {
  test('a password reset ends the sessions signed in with the old password', async ({ browser }) => {
    const db = appDatabase();
    const email = `reset-${Date.now().toString(36)}@feedloop.local`;
    try {
      const admin = await db.user.findUniqueOrThrow({ where: { email: 'admin@feedloop.local' } });
      const user = await db.user.create({ data: { email, name: 'Reset Me', role: 'LABELER', passwordHash: await hashPassword('old-password') } });
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, email, 'old-password');
      await expect(page).toHaveURL(/\/label$/);

      const resetPath = (await createPasswordReset(db, { id: admin.id }, user.id)).path;
      const accepted = await page.request.post(`/api${resetPath}`, { data: { password: 'new-password-1' } });
      expect(accepted.status()).toBe(200);

      await page.goto('/label');
      await expect(page).toHaveURL(/\/login/);
      await signIn(page, email, 'new-password-1');
      await expect(page).toHaveURL(/\/label$/);
      await context.close();
    } finally {
      await db.$disconnect();
    }
  });
});
