import { expect, test } from '@playwright/test';
import { openComponent, signInAsGuest } from './support';

/*
 * The portal runs end to end against the upstream sandbox: opening a project's Kubernetes tab
 * makes the portal's backend call the sandbox's Kubernetes API, and the page shows the pods of
 * the seeded storefront application rather than an error.
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

  await signInAsGuest(page);
  await openComponent(page, 'storefront');
  await page.locator('a[href$="/kubernetes"]').first().click();

  await expect
    .poll(kubernetesCalls, { timeout: 30_000 })
    .toBeGreaterThan(before);
  // The plugin's verdict once it has read the cluster's pods for the entity.
  await expect(page.getByText('No pods with errors').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    page.getByText(/error communicating|failed to fetch/i),
  ).toHaveCount(0);
});
