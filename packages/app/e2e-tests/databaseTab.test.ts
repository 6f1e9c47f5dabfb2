import { expect, Locator, Page, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
// The machine's PostgreSQL serves the sandbox's "provisioned" database; pg is in the
// repository's dependencies through the backend.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { Client } from 'pg';
import {
  announcements,
  checkPageState,
  listenToAnnouncements,
} from './accessibility';
import { signInAsGuest } from './support';

/*
 * The Database tab against the real backend and the upstream sandbox, whose PostgreSQL
 * "instances" are real databases on the machine's server: the guest (a member of shop-team)
 * provisions storefront-db, follows the steps to ready, reveals the owner's password and
 * connects with it, takes a backup, sees it listed with its size and downloads it. Every
 * state is checked with axe-core (accessibility.ts). Then a non-owner's view of payments-db:
 * the same page with every action unavailable and its reason reachable.
 */

const PROVISION_TIMEOUT = 180_000;
const BACKUP_TIMEOUT = 120_000;

/** Opens a Resource's Database tab, waiting for the catalog to have read examples/. */
async function openDatabaseTab(page: Page, name: string) {
  await signInAsGuest(page);
  const tab = page.locator('a[href$="/database"]');
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${name}`);
    await expect(tab).toBeVisible({ timeout: 20_000 });
  }).toPass({ timeout: 120_000 });
  await tab.click();
  await expect(page.locator('[data-autonomous-plugin]').first()).toBeVisible();
}

function provisionForm(page: Page): Locator {
  return page.getByRole('form', { name: 'Create the database' });
}

test('provision PostgreSQL, follow it to ready, reveal the password, back up and download', async ({
  page,
}, testInfo) => {
  test.setTimeout(10 * 60_000);
  await openDatabaseTab(page, 'storefront-db');

  // Empty: the form, with the engine the resource names.
  const form = provisionForm(page);
  await expect(form).toBeVisible();
  await expect(form.getByLabel('Engine')).toHaveValue('postgresql');
  await expect(form.getByLabel('Cluster (unavailable)')).toBeDisabled();
  await checkPageState(page, testInfo, 'database, empty form');

  await listenToAnnouncements(page);
  await form.getByRole('button', { name: 'Create database' }).click();

  // Provisioning: the steps, live.
  const steps = page.getByRole('list', { name: 'Steps of storefront-db' });
  await expect(steps).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'storefront-db', level: 2 }),
  ).toBeVisible();
  await checkPageState(page, testInfo, 'database, provisioning');

  const connection = page.getByRole('region', { name: 'Connection' });
  const failure = page.getByText(/^Failed at “/);
  await expect(connection.or(failure).first()).toBeVisible({
    timeout: PROVISION_TIMEOUT,
  });
  if (await failure.isVisible()) {
    throw new Error(`provisioning failed: ${await failure.textContent()}`);
  }
  // Each step was said in the live region as it came.
  await expect
    .poll(() => announcements(page), { timeout: 30_000 })
    .toContainEqual(expect.stringMatching(/^storefront-db: /));
  await expect(
    page.getByRole('list', { name: 'Steps of storefront-db' }),
  ).toContainText('Ready');
  await checkPageState(page, testInfo, 'database, ready');

  // The connection profile: host and port of the real server.
  const host = (await connection
    .getByRole('definition')
    .first()
    .locator('code')
    .textContent())!;
  const port = Number(
    await connection
      .getByRole('definition')
      .nth(1)
      .locator('code')
      .textContent(),
  );
  const database = (await connection
    .getByRole('definition')
    .nth(2)
    .locator('code')
    .textContent())!;
  expect(host).toBeTruthy();
  expect(port).toBeGreaterThan(0);

  // Reveal the owner's credentials: masked until shown, gone from the page once closed.
  await connection
    .getByRole('button', { name: 'Reveal password of the owner user' })
    .click();
  const dialog = page.getByRole('dialog', {
    name: 'Credentials of the owner user',
  });
  const password = dialog.getByLabel('Password', { exact: true });
  await expect(password).toHaveAttribute('type', 'password');
  await expect(password).not.toHaveValue('');
  await checkPageState(page, testInfo, 'database, credentials dialog open');
  await dialog.getByRole('button', { name: 'Show password' }).click();
  await expect(password).toHaveAttribute('type', 'text');
  const user = await dialog
    .getByLabel('User name', { exact: true })
    .inputValue();
  const secret = await password.inputValue();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // A backup, listed with its size once done.
  const backups = page.getByRole('region', { name: 'Backups' });
  await backups.getByRole('button', { name: 'Backup now' }).click();
  const table = backups.getByRole('table', { name: 'Backups' });
  const done = table
    .getByRole('row')
    .filter({ hasText: /succeeded|failed/ })
    .first();
  await expect(done).toBeVisible({ timeout: BACKUP_TIMEOUT });
  await expect(done).toContainText('succeeded');
  await expect(done).toContainText('manual');
  await expect(done.getByRole('cell').nth(2)).toHaveText(
    /^\d+(\.\d)? (bytes|KB|MB)$/,
  );
  await checkPageState(page, testInfo, 'database, backup listed');

  // Download: the dump arrives, a PostgreSQL custom-format archive.
  const downloading = page.waitForEvent('download');
  await done.getByRole('button', { name: /^Download backup of/ }).click();
  const download = await downloading;
  const bytes = await readFile((await download.path())!);
  expect(bytes.length).toBeGreaterThan(0);
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('PGDMP');

  // The restore dialog, open (restoring is tested at the API level).
  await done.getByRole('button', { name: /^Restore backup of/ }).click();
  const restore = page.getByRole('dialog', { name: /^Restore the backup of/ });
  await expect(restore.getByLabel(/^A new instance/)).toBeChecked();
  await checkPageState(page, testInfo, 'database, restore dialog open');
  await page.keyboard.press('Escape');
  await expect(restore).toHaveCount(0);

  // The revealed credentials open the database the profile names.
  const client = new Client({ host, port, database, user, password: secret });
  await client.connect();
  try {
    const result = await client.query('select current_user as who');
    expect(result.rows[0].who).toBe(user);
  } finally {
    await client.end();
  }
});

test('a non-owner sees the database page and reaches why they cannot create one', async ({
  page,
}, testInfo) => {
  test.setTimeout(4 * 60_000);
  await openDatabaseTab(page, 'payments-db');
  const form = provisionForm(page);
  await expect(form).toBeVisible();
  const create = form.getByRole('button', { name: 'Create database' });
  await expect(create).toHaveAttribute('aria-disabled', 'true');
  await expect(create).toHaveAccessibleDescription(
    /^Creating a database needs membership of payments-team/,
  );
  await checkPageState(page, testInfo, 'database, non-owner');
});
