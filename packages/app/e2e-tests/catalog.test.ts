import { expect, test } from '@playwright/test';
import { signInAsGuest } from './support';

/*
 * Smoke test of the portal: the development sign-in works and the sample catalog from
 * examples/ is there. The catalog reads examples/ a few seconds after the backend
 * starts, so the list is reloaded until the entities show.
 */

const sampleComponents = [
  'storefront',
  'payments-api',
  'payments-worker',
  'payments-ledger',
];

test('a guest signs in and finds the sample projects in the catalog', async ({
  page,
}) => {
  await signInAsGuest(page);

  // Every component, not only the guest's (the guest owns the storefront through shop-team).
  await page.goto('/?filters[kind]=component&filters[user]=all');
  await expect(async () => {
    await page.reload();
    for (const name of sampleComponents) {
      await expect(
        page.locator(`a[href$="/component/${name}"]`).first(),
      ).toBeVisible({ timeout: 5_000 });
    }
  }).toPass({ timeout: 90_000 });

  await page.locator('a[href$="/component/storefront"]').first().click();
  await expect(page.getByRole('heading', { name: 'Storefront' })).toBeVisible();
  // The owner shows as the group's title or name, depending on what has loaded; its link
  // is stable.
  await expect(
    page.locator('a[href$="/group/shop-team"]').first(),
  ).toBeVisible();
});
