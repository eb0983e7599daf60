import { expect, test, type Browser, type TestInfo } from '@playwright/test';
import { hashPassword } from '../lib/auth/password.ts';
import { appDatabase, signIn, signInAs } from './support.ts';

// Unique per run, so a retry never trips over the accounts an earlier attempt made.
const run = Date.now().toString(36);

/** A fresh browser with no cookies: a stranger who only has the link. */
async function freshPage(browser: Browser, testInfo: TestInfo) {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  return { context, page: await context.newPage() };
}

test('an admin invites a reviewer, who joins through the link in a fresh browser and signs in', async ({ page, browser }, testInfo) => {
  const email = `invitee-${run}@feedloop.local`;
  await signInAs(page, 'admin');
  await page.goto('/admin/people');
  await expect(page.getByTestId('page-title')).toHaveText('People');

  const form = page.getByTestId('invite-person');
  await form.getByLabel('Email').fill(email.toUpperCase());
  await form.getByLabel('Role').selectOption('REVIEWER');
  await form.getByRole('button', { name: 'Create invite link' }).click();
  const issued = page.getByTestId('issued-link');
  await expect(issued).toContainText(`Invite link for ${email}`);
  const url = await page.getByTestId('issued-link-url').inputValue();
  expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);

  // Only the token's sha256 is stored.
  const db = appDatabase();
  try {
    const invite = await db.invite.findFirstOrThrow({ where: { email }, orderBy: { createdAt: 'desc' } });
    expect(invite.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(url).not.toContain(invite.tokenHash);
  } finally {
    await db.$disconnect();
  }

  const stranger = await freshPage(browser, testInfo);
  try {
    const guest = stranger.page;
    await guest.goto(url);
    const invite = guest.getByTestId('invite-form');
    await expect(invite).toContainText(email);
    await expect(invite).toContainText('Reviewer');
    await guest.getByLabel('Your name').fill('Ines Invitee');
    await guest.getByLabel('Password', { exact: true }).fill('short');
    await guest.getByLabel('Password again').fill('short');
    await guest.getByRole('button', { name: 'Create my account' }).click();
    await expect(guest.getByTestId('invite-error')).toHaveText('The password must be at least 8 characters.');

    await guest.getByLabel('Password', { exact: true }).fill('invitee password');
    await guest.getByLabel('Password again').fill('invitee password');
    await guest.getByRole('button', { name: 'Create my account' }).click();
    await expect(guest).toHaveURL(/\/login$/);

    await signIn(guest, email, 'invitee password');
    await expect(guest).toHaveURL(/\/review$/);
    await expect(guest.getByTestId('whoami')).toContainText('Ines Invitee (Reviewer)');

    // The link works once.
    await guest.goto(url);
    await expect(guest.getByTestId('invite-state')).toHaveAttribute('data-status', 'used');
    await expect(guest.getByTestId('invite-state')).toContainText('already been used');
  } finally {
    await stranger.context.close();
  }

  // An invite for the same address again is refused plainly: the account exists now.
  await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Create invite link' }).click();
  await expect(form.getByRole('alert')).toHaveText('An account with this email already exists.');
});

test('an admin deactivates a labeler who holds a lease: the lease goes back to the pool and their session stops working', async ({ page, browser }, testInfo) => {
  const email = `leaver-${run}@feedloop.local`;
  const db = appDatabase();
  try {
    const project = await db.project.findUniqueOrThrow({ where: { slug: 'demo' } });
    const guideline = await db.guideline.findFirstOrThrow({
      where: { projectId: project.id, publishedAt: { not: null } },
      orderBy: { version: 'desc' },
    });
    await db.user.create({
      data: {
        email,
        name: 'Leo Leaver',
        role: 'LABELER',
        passwordHash: await hashPassword('leaver password'),
        memberships: { create: { projectId: project.id, role: 'LABELER' } },
        acks: { create: { guidelineId: guideline.id } },
      },
    });
  } finally {
    await db.$disconnect();
  }

  // The labeler takes a task through the same API the workbench uses.
  const labeler = await freshPage(browser, testInfo);
  try {
    await signIn(labeler.page, email, 'leaver password');
    await expect(labeler.page).toHaveURL(/\/label$/);
    const next = await labeler.page.request.post('/api/label/projects/demo/next', { data: { kind: 'DEMONSTRATION' } });
    expect(next.status()).toBe(200);
    const claimed = (await next.json()) as { status: string; task?: { assignmentId: string } };
    expect(claimed.status).toBe('task');
    const assignmentId = claimed.task!.assignmentId;

    await signInAs(page, 'admin');
    await page.goto('/admin/people');
    const row = page.getByTestId(`person-${email}`);
    await expect(row.getByTestId('leases')).toHaveText('1');
    await expect(row.getByTestId('status')).toHaveText('Active');

    await row.getByRole('button', { name: 'Deactivate' }).click();
    await expect(row.getByTestId('confirm-deactivate')).toContainText('Deactivate Leo Leaver?');
    await row.getByRole('button', { name: 'Yes, deactivate' }).click();
    await expect(page.getByTestId('people-notice')).toHaveText('Leo Leaver is deactivated; 1 lease went back to the pool.');
    await expect(row.getByTestId('status')).toHaveText('Deactivated');
    await expect(row.getByTestId('leases')).toHaveText('0');

    const check = appDatabase();
    try {
      expect(await check.assignment.findUniqueOrThrow({ where: { id: assignmentId } })).toMatchObject({ status: 'EXPIRED' });
    } finally {
      await check.$disconnect();
    }

    // The session the labeler still holds no longer works, and a new sign-in is refused.
    expect((await labeler.page.request.get('/api/me')).status()).toBe(401);
    await signIn(labeler.page, email, 'leaver password');
    await expect(labeler.page.getByTestId('login-error')).toContainText('deactivated');
  } finally {
    await labeler.context.close();
  }

  // An admin cannot deactivate or demote their own account from the page.
  const own = page.getByTestId('person-admin@feedloop.local');
  await expect(own.getByRole('button', { name: 'Deactivate' })).toHaveCount(0);
  await expect(own.getByRole('combobox')).toBeDisabled();
});

test('an admin adds a person, resets their password, and the new password works', async ({ page, browser }, testInfo) => {
  const email = `added-${run}@feedloop.local`;
  await signInAs(page, 'admin');
  await page.goto('/admin/people');
  const form = page.getByTestId('create-person');
  await form.getByLabel('Name').fill('Ada Added');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Initial password').fill('initial password');
  await form.getByRole('button', { name: 'Add person' }).click();
  await expect(page.getByTestId('people-notice')).toHaveText(`Added ${email}.`);
  const row = page.getByTestId(`person-${email}`);
  await expect(row).toContainText('Ada Added');

  await row.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByTestId('issued-link')).toContainText(`Password reset link for ${email}`);
  const url = await page.getByTestId('issued-link-url').inputValue();

  const person = await freshPage(browser, testInfo);
  try {
    await person.page.goto(url);
    await expect(person.page.getByTestId('invite-form')).toContainText('Set a new password');
    await person.page.getByLabel('Password', { exact: true }).fill('a new password');
    await person.page.getByLabel('Password again').fill('a new password');
    await person.page.getByRole('button', { name: 'Set password' }).click();
    await expect(person.page).toHaveURL(/\/login$/);
    await signIn(person.page, email, 'a new password');
    await expect(person.page).toHaveURL(/\/label$/);
  } finally {
    await person.context.close();
  }
});

test('the audit log lists what admins did, filtered by action', async ({ page }) => {
  await signInAs(page, 'admin');
  await page.goto('/admin/audit');
  await expect(page.getByTestId('page-title')).toHaveText('Audit log');
  await expect(page.getByTestId('audit-entry').first()).toBeVisible();

  await page.getByLabel('Action').selectOption('user.deactivate');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/[?&]action=user\.deactivate/);
  const entries = page.getByTestId('audit-entry');
  await expect(entries.first()).toBeVisible();
  for (const action of await entries.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')))) {
    expect(action).toBe('user.deactivate');
  }
  await expect(entries.first()).toContainText('admin@feedloop.local');
  await entries.first().getByText('Show').click();
  await expect(entries.first()).toContainText('"releasedLeases": 1');

  // Invites by this admin, and never a token or a hash in what the log shows.
  await page.goto('/admin/audit?action=user.invite&actor=admin@feedloop.local&entity=Invite');
  await expect(page.getByTestId('audit-entry').first()).toContainText('user.invite');
  expect(await page.getByTestId('audit-table').innerText()).not.toMatch(/tokenHash|passwordHash|\$2[aby]\$/);

  // A filter that does not validate is reported and ignored, not a crash.
  await page.goto('/admin/audit?from=not-a-date&action=user.create');
  await expect(page.getByTestId('audit-problems')).toContainText('From (UTC)');
  await expect(page.getByLabel('Action')).toHaveValue('user.create');
});
