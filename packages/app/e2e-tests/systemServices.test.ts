import { expect, Page, test } from '@playwright/test';
import { checkPageState } from './accessibility';
import { signInAsGuest, signInAsPlatformAdmin } from './support';

/*
 * The Services tab of the payments System against the real backend and the upstream sandbox:
 * its three services with readiness, current release and domain. The guest (shop-team) does
 * not own payments: every action says why it is not theirs. An admin deploys payments-api
 * alone, then two services together, and is held at the typed confirmation of a delete.
 */

async function openServicesTab(page: Page) {
  const tab = page.locator('a[href$="/system/payments/autonomous-services"]');
  // Until the catalog has read examples/, the page says the entity was not found.
  await expect(async () => {
    await page.goto('/catalog/default/system/payments');
    await expect(tab).toBeVisible({ timeout: 20_000 });
  }).toPass({ timeout: 120_000 });
  await tab.click();
  await expect(page.getByRole('table', { name: 'Services' })).toBeVisible({
    timeout: 30_000,
  });
}

const rowOf = (page: Page, title: string) =>
  page
    .getByRole('table', { name: 'Services' })
    .getByRole('row')
    .filter({ hasText: title });

test('shows the payments services and tells the guest why they may not act', async ({
  page,
}, testInfo) => {
  test.setTimeout(3 * 60_000);
  await signInAsGuest(page);
  await openServicesTab(page);
  for (const title of ['Payments API', 'Payments Ledger', 'Payments Worker']) {
    await expect(rowOf(page, title)).toContainText('production:');
  }
  await expect(rowOf(page, 'Payments API')).toContainText(
    'pay.example.com (production)',
  );
  await expect(rowOf(page, 'Payments API')).toContainText(
    'services/payments-api/',
  );
  const deploy = page.getByRole('button', { name: 'Deploy payments-api' });
  await expect(deploy).toHaveAttribute('aria-disabled', 'true');
  await expect(deploy).toHaveAccessibleDescription(/payments-team|Payments/i);
  await expect(
    page.getByRole('button', { name: 'Delete project' }),
  ).toHaveAttribute('aria-disabled', 'true');
  await checkPageState(page, testInfo, 'Services of payments (guest)');
});

test('deploys payments-api alone, then two services together, and asks for the typed name before a delete', async ({
  page,
}, testInfo) => {
  test.setTimeout(5 * 60_000);
  await signInAsPlatformAdmin(page);
  await openServicesTab(page);

  await page.getByRole('button', { name: 'Deploy payments-api' }).click();
  const alone = page.getByRole('dialog', { name: 'Deploy payments-api' });
  await checkPageState(page, testInfo, 'Deploy one service');
  await alone.getByRole('button', { name: 'Deploy' }).click();
  await expect(
    page.locator('[data-autonomous-plugin]').getByRole('status').first(),
  ).toContainText(/Deploying #\d+ to staging\./);
  await expect(alone).toHaveCount(0);

  await page.getByRole('checkbox', { name: 'Select payments-ledger' }).check();
  await page.getByRole('checkbox', { name: 'Select payments-worker' }).check();
  await page.getByRole('button', { name: 'Deploy selected (2)' }).click();
  const together = page.getByRole('dialog', { name: 'Deploy 2 services' });
  await together.getByRole('button', { name: 'Deploy' }).click();
  await expect(
    page.locator('[data-autonomous-plugin]').getByRole('status').first(),
  ).toContainText(/Deploying #\d+, #\d+ to staging\./);
  const groups = page.getByRole('list', { name: 'Releases deployed together' });
  await expect(groups.getByRole('listitem').first()).toContainText(
    /payments-ledger #\d+ .*payments-worker #\d+/,
  );
  await checkPageState(page, testInfo, 'Services after deploying two together');

  await page.getByRole('button', { name: 'Delete project' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete payments?' });
  await dialog.getByLabel('Project name').fill('payment');
  await dialog.getByRole('button', { name: 'Delete project' }).click();
  await expect(dialog.getByLabel('Project name')).toHaveAccessibleDescription(
    'Type payments to confirm.',
  );
  await checkPageState(page, testInfo, 'Delete payments asks for its name');
  // The other browser tests use the payments services: the project is kept.
  await dialog.getByRole('button', { name: 'Keep the project' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(rowOf(page, 'Payments API')).toBeVisible();
});
