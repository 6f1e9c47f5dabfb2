import { expect, Page, test } from '@playwright/test';
import { checkPageState } from './accessibility';
import { signInAsGuest } from './support';

/*
 * The Console tab against the real backend and the machine's PostgreSQL, which serves the
 * sandbox's "provisioned" databases: the guest (a member of shop-team) opens the console of
 * storefront-db, runs a query with Ctrl+Enter and sees its rows, then sees a write refused
 * in read-only mode with PostgreSQL's own message. Every state is checked with axe-core
 * (accessibility.ts). The test provisions storefront-db when it has no live instance and
 * deletes what it provisioned, so the Database tab's test still finds the resource empty.
 */

const PROVISION_TIMEOUT = 180_000;
const DELETE_TIMEOUT = 180_000;
const NAME = 'storefront-db';

async function openResource(page: Page, tab: string) {
  const link = page.locator(`a[href$="/${tab}"]`);
  await expect(async () => {
    await page.goto(`/catalog/default/resource/${NAME}`);
    await expect(link).toBeVisible({ timeout: 20_000 });
  }).toPass({ timeout: 120_000 });
  await link.click();
  await expect(page.locator('[data-autonomous-plugin]').first()).toBeVisible();
}

/** A ready PostgreSQL instance of storefront-db; true when this test provisioned it. */
async function readyInstance(page: Page): Promise<boolean> {
  await openResource(page, 'database');
  const form = page.getByRole('form', { name: 'Create the database' });
  const connection = page.getByRole('region', { name: 'Connection' });
  await expect(form.or(connection).first()).toBeVisible({ timeout: 60_000 });
  if (await connection.isVisible()) {
    return false;
  }
  await expect(form.getByLabel('Engine')).toHaveValue('postgresql');
  await form.getByRole('button', { name: 'Create database' }).click();
  const failure = page.getByText(/^Failed at “/);
  await expect(connection.or(failure).first()).toBeVisible({
    timeout: PROVISION_TIMEOUT,
  });
  if (await failure.isVisible()) {
    throw new Error(`provisioning failed: ${await failure.textContent()}`);
  }
  return true;
}

/** Replaces what the editor holds, as typing would, without its auto-closed quotes. */
async function writeStatement(page: Page, statement: string) {
  const editor = page.getByRole('textbox', { name: 'Statement' });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(statement);
  await expect(editor).toHaveText(statement);
}

test('the console of a PostgreSQL instance runs a query, shows its rows, and the database refuses a write in read-only mode', async ({
  page,
}, testInfo) => {
  test.setTimeout(10 * 60_000);
  await signInAsGuest(page);
  const provisioned = await readyInstance(page);

  try {
    await openResource(page, 'database-console');
    await expect(
      page.getByRole('heading', { name: `Console of ${NAME}`, level: 2 }),
    ).toBeVisible();
    const writeMode = page.getByRole('checkbox', { name: 'Write mode' });
    await expect(writeMode).toBeVisible();
    await expect(writeMode).not.toBeChecked();
    await checkPageState(page, testInfo, 'console, empty');

    // A query, run from the keyboard.
    await writeStatement(
      page,
      "select n, 'teapot ' || n as item from generate_series(1, 50) as n",
    );
    await page.keyboard.press('Control+Enter');
    const grid = page.getByRole('table', {
      name: `Result of the statement on ${NAME}`,
    });
    await expect(grid).toBeVisible({ timeout: 60_000 });
    await expect(grid.getByRole('columnheader')).toHaveText([
      /^n\s*int4$/,
      /^item\s*text$/,
    ]);
    await expect(
      grid.getByRole('cell', { name: 'teapot 1', exact: true }),
    ).toBeVisible();
    await expect(grid).toHaveAttribute('aria-rowcount', '51');
    const result = page.getByRole('region', { name: 'Result' });
    await expect(result).toContainText(/50 rows in \d/);
    await expect(
      page.getByRole('status').filter({ hasText: /^50 rows in/ }),
    ).toBeAttached();
    await checkPageState(page, testInfo, 'console, rows shown');

    // A write, refused by PostgreSQL itself in the read-only transaction.
    await writeStatement(page, 'create table e2e_console_refused (id int)');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(result).toContainText(
      'The statement failed: cannot execute CREATE TABLE in a read-only transaction',
      { timeout: 60_000 },
    );
    await checkPageState(page, testInfo, 'console, write refused');

    // Both statements are in the user's history, with their outcome.
    const history = page.getByRole('list', { name: 'Your recent statements' });
    await expect(history.getByRole('listitem').first()).toContainText(
      'create table e2e_console_refused',
    );
    await expect(history.getByRole('listitem').first()).toContainText('failed');
    await expect(history).toContainText('generate_series(1, 50)');
  } finally {
    if (provisioned) {
      // Leave storefront-db as the Database tab's test expects it, without a live instance,
      // whether this test passed or not.
      await openResource(page, 'database');
      await page.getByRole('button', { name: 'Delete database' }).click();
      const dialog = page.getByRole('dialog', { name: `Delete ${NAME}?` });
      await dialog.getByLabel('Instance name').fill(NAME);
      await dialog.getByRole('button', { name: 'Delete database' }).click();
      await expect(
        page.getByRole('form', { name: 'Create the database' }),
      ).toBeVisible({ timeout: DELETE_TIMEOUT });
    }
  }
});
