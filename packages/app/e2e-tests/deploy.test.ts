import { expect, Locator, Page, test } from '@playwright/test';
import { openComponent, signInAsGuest } from './support';

/*
 * A whole release from the Releases tab against the real backend and the upstream sandbox:
 * deploy the storefront to staging twice, watch each release build, sync and become healthy,
 * then roll staging back to the first one. The guest owns the storefront (through
 * shop-team), so the portal's policy lets them deploy and roll back.
 */

const RELEASE_TIMEOUT = 120_000;

async function openReleasesTab(page: Page) {
  await signInAsGuest(page);
  await openComponent(page, 'storefront');
  await page.locator('a[href$="/autonomous-releases"]').click();
  await expect(
    page.getByRole('region', { name: 'Environment staging' }),
  ).toBeVisible();
}

/** The drawer is named after the release it shows ("Release main-1a2b3c4d to staging"). */
function releaseDrawer(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Release / });
}

/** Waits until the release open in the drawer is healthy; returns its version and digest. */
async function watchUntilHealthy(page: Page) {
  const drawer = releaseDrawer(page);
  const heading = drawer.getByRole('heading', {
    name: /^Release .+ to staging$/,
  });
  await expect(heading).toBeVisible();
  const version = (await heading.textContent())!
    .replace(/^Release /, '')
    .replace(/ to staging$/, '');
  const stages = drawer.getByRole('list', { name: 'Stages' });
  const outcome = stages
    .getByText(/^(healthy|failed|cancelled|rolled back)$/)
    .first();
  await expect(outcome).toBeVisible({ timeout: RELEASE_TIMEOUT });
  if ((await outcome.textContent()) !== 'healthy') {
    // Say what happened rather than only that "healthy" never showed.
    throw new Error(
      `release ${version} did not become healthy: ${await stages.innerText()}`,
    );
  }
  const digest = drawer.getByText(/^sha256:[0-9a-f]{64}$/);
  await expect(digest).toBeVisible();
  return { version, digest: (await digest.textContent())! };
}

async function closeDrawer(page: Page) {
  await page.getByRole('button', { name: 'Close release details' }).click();
  await expect(releaseDrawer(page)).toHaveCount(0);
}

async function deployToStaging(page: Page, reason: string) {
  const deploy = page
    .getByRole('region', { name: 'Environment staging' })
    .getByRole('button', { name: 'Deploy to staging' });
  await expect(deploy).toBeEnabled();
  await deploy.click();
  const dialog = page.getByRole('dialog', { name: 'Deploy' });
  await dialog.getByLabel('Branch, tag or commit').fill('main');
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog).toHaveCount(0);
}

test('deploys the storefront to staging from the Releases tab, then rolls back', async ({
  page,
}) => {
  test.setTimeout(6 * 60_000);
  await openReleasesTab(page);

  await deployToStaging(page, 'first browser-test deploy');
  // The app has the signals plugin: the tab follows the release without polling.
  await expect(releaseDrawer(page).getByRole('heading')).toHaveText([
    /^Release #\d+ /,
    'Release',
    'Stages',
    'Health gates',
    'Build log',
    'Pods in staging',
  ]);
  await expect(
    page.getByText(/Checking for changes every 10 seconds/),
  ).toHaveCount(0);
  const first = await watchUntilHealthy(page);
  await expect(
    releaseDrawer(page).getByText('first browser-test deploy', { exact: true }),
  ).toBeVisible();
  await closeDrawer(page);

  await deployToStaging(page, 'second browser-test deploy');
  const second = await watchUntilHealthy(page);
  expect(second.version).not.toBe(first.version);
  await closeDrawer(page);

  const staging = page.getByRole('region', { name: 'Environment staging' });
  await expect(staging.getByLabel('ready replicas')).toHaveText(
    /^\d+\/\d+ ready$/,
  );
  await expect(
    staging.getByRole('button', { name: second.version }),
  ).toBeVisible();

  // The first release is healthy and no longer running: it can be rolled back to.
  const rollback = page.getByRole('button', {
    name: `Roll back to ${first.version} (staging)`,
  });
  await expect(rollback).toBeEnabled();
  await rollback.click();
  const confirm = page.getByRole('dialog', {
    name: `Roll back staging to ${first.version}?`,
  });
  await confirm.getByLabel('Reason').fill('browser-test rollback');
  await confirm.getByRole('button', { name: 'Roll back', exact: true }).click();

  const restored = await watchUntilHealthy(page);
  expect(restored.digest).toBe(first.digest);
  await expect(
    releaseDrawer(page).getByText('No build: this release deploys the image', {
      exact: false,
    }),
  ).toBeVisible();
  await closeDrawer(page);

  await expect(
    staging.getByText(new RegExp(first.digest.slice(7, 19))),
  ).toBeVisible({ timeout: 30_000 });
});
