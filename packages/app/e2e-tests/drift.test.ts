import { expect, Page, test } from '@playwright/test';
import { checkPageState } from './accessibility';
import { openComponent, signInAsGuest } from './support';

/*
 * Drift on the Releases and Autonomous tabs against the real backend and the upstream sandbox:
 * someone scales an application by hand; the environment's card on both tabs shows what differs
 * from Git, and "Correct drift" on the Autonomous tab syncs it back. The guest owns the storefront (through shop-team) but not the
 * payments worker, whose card explains why the button is not theirs to press.
 */

const SANDBOX = 'http://localhost:7200';

async function driftByHand(application: string) {
  const res = await fetch(`${SANDBOX}/_sandbox/argocd/drift`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ application }),
  });
  expect(res.status).toBe(200);
}

async function openReleasesTab(page: Page, component: string) {
  await openComponent(page, component);
  await page.locator('a[href$="/autonomous-releases"]').click();
  await expect(
    page.getByRole('region', { name: 'Environment production' }),
  ).toBeVisible();
}

async function openAutonomousTab(page: Page, component: string) {
  await openComponent(page, component);
  await page.locator(`a[href$="/${component}/autonomous"]`).click();
  await expect(
    page.getByRole('region', { name: 'Environment production' }),
  ).toBeVisible();
}

test('shows a hand-made change with its diff and corrects it with a sync', async ({
  page,
}, testInfo) => {
  test.setTimeout(3 * 60_000);
  await signInAsGuest(page);
  await openReleasesTab(page, 'storefront');
  const production = page.getByRole('region', {
    name: 'Environment production',
  });

  // With self-heal on, ArgoCD would undo the change before anyone saw it.
  await production
    .getByRole('button', { name: 'Suspend automated sync of production' })
    .click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Suspend' })
    .click();
  await expect(
    production.getByRole('button', {
      name: 'Resume automated sync of production',
    }),
  ).toBeVisible();

  try {
    await driftByHand('storefront');
    const banner = page.getByRole('region', { name: 'Drift in production' });
    // The backend answers ArgoCD reads from a 5-second cache: a read in that window still
    // says Synced, and nothing tells the page that a person changed the cluster by hand.
    await expect(async () => {
      await openReleasesTab(page, 'storefront');
      await expect(banner).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    await expect(
      banner.getByText(/storefront is OutOfSync with no release in flight/),
    ).toBeVisible();
    await expect(
      banner.getByRole('list', {
        name: 'Differences of Deployment storefront',
      }),
    ).toContainText(/spec\.replicas: live \d+, Git \d+/);

    // The Autonomous tab's card of the environment shows the same banner, and corrects it.
    await openAutonomousTab(page, 'storefront');
    const onOverview = page
      .getByRole('region', { name: 'Environment production' })
      .getByRole('region', { name: 'Drift in production' });
    await expect(onOverview).toBeVisible();
    await expect(
      onOverview.getByRole('list', {
        name: 'Differences of Deployment storefront',
      }),
    ).toContainText(/spec\.replicas: live \d+, Git \d+/);
    await checkPageState(page, testInfo, 'Drift banner on the Autonomous tab');

    await onOverview
      .getByRole('button', { name: 'Correct drift (production)' })
      .click();
    // The sync ends with the banner gone; its "syncing" message is not waited for, as the
    // sandbox's ArgoCD may finish the sync before the page shows it.
    await expect(onOverview).toHaveCount(0, { timeout: 60_000 });
    await openReleasesTab(page, 'storefront');
    await expect(
      page
        .getByRole('region', { name: 'Environment production' })
        .getByText(/OutOfSync with no release in flight/),
    ).toHaveCount(0);
  } finally {
    // Leave the storefront as the other tests expect it: ArgoCD syncing it by itself.
    await openReleasesTab(page, 'storefront');
    await page
      .getByRole('region', { name: 'Environment production' })
      .getByRole('button', { name: 'Resume automated sync of production' })
      .click();
    await expect(
      page
        .getByRole('region', { name: 'Environment production' })
        .getByRole('button', { name: 'Suspend automated sync of production' }),
    ).toBeVisible();
  }
});

test('tells a user without the sync permission why they cannot correct drift', async ({
  page,
}) => {
  await driftByHand('payments-worker');
  await signInAsGuest(page);
  await openReleasesTab(page, 'payments-worker');
  const banner = page.getByRole('region', { name: 'Drift in production' });
  await expect(banner).toBeVisible();
  const correct = banner.getByRole('button', {
    name: 'Correct drift (production)',
  });
  await expect(correct).toHaveAttribute('aria-disabled', 'true');
  await expect(correct).toHaveAccessibleDescription(
    /needs membership of Payments Team, who own this project/,
  );
});
