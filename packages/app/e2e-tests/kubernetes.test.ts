import { expect, test } from '@playwright/test';
import { openComponent, signInAsGuest } from './support';

/*
 * The Kubernetes tab a newcomer opens on the sample project: the Kubernetes plugin reads the
 * sandbox's cluster, pod metrics included (metrics.k8s.io), and shows the storefront's pods
 * without a warning. A missing metrics API made it open with "There was a problem retrieving
 * Kubernetes objects".
 */
test("the storefront's Kubernetes tab shows its pods without a warning", async ({
  page,
}) => {
  await signInAsGuest(page);
  await openComponent(page, 'storefront');
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Kubernetes', exact: true })
    .click();

  // The cluster's accordion appears once the plugin has its answer, with the pod count.
  await expect(page.getByText('sandbox', { exact: true }).first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText(/\d+ pods?/).first()).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('kubernetes-tab.png'),
    fullPage: true,
  });
  await expect(
    page.getByText('There was a problem retrieving Kubernetes objects'),
  ).toHaveCount(0);
  await expect(page.getByText(/^Warning/)).toHaveCount(0);
});
