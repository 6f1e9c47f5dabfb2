import { expect, test } from '@playwright/test';

/*
 * The portal runs end to end against the upstream sandbox: opening a project's Kubernetes tab
 * makes the portal's backend call the sandbox's Kubernetes API, and the page shows what the
 * cluster holds rather than an error.
 */

const SANDBOX_CALLS = 'http://localhost:7200/_sandbox/calls';

async function kubernetesCalls(): Promise<number> {
  const response = await fetch(SANDBOX_CALLS);
  const calls = (await response.json()) as { systems: Record<string, number> };
  return calls.systems.kubernetes ?? 0;
}

test('the storefront Kubernetes tab reads the sandbox cluster', async ({
  page,
}) => {
  const before = await kubernetesCalls();

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  await page.goto('/?filters[kind]=component&filters[user]=all');
  const storefront = page.locator('a[href$="/component/storefront"]').first();
  await expect(async () => {
    await page.reload();
    await expect(storefront).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  await storefront.click();
  await page.locator('a[href$="/kubernetes"]').first().click();

  await expect
    .poll(kubernetesCalls, { timeout: 30_000 })
    .toBeGreaterThan(before);
  await expect(page.getByText(/error/i)).toHaveCount(0);
});
