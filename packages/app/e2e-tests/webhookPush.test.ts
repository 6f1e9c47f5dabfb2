import { expect, Locator, Page, test } from '@playwright/test';
import { checkPageState } from './accessibility';
import { openComponent, signInAsGuest } from './support';

/*
 * A Git push reaches the portal as GitHub sends it, and the pages that are open follow it.
 * Alice (platform-team) opens the storefront's Autonomous tab and its Releases tab in two
 * pages, rotates the webhook secret on the Autonomous tab and "pastes" it into the repository's
 * webhook: the upstream sandbox sends a signed push of main (POST /_sandbox/webhooks/push with
 * the URL and secret the tab shows). Both environments of the storefront follow main with
 * auto-deploy on, so the push releases to staging and to production. The staging release shows
 * on both pages and becomes healthy there, without either page being loaded again; the
 * delivery is listed with its outcome among the tab's recent deliveries. The payments worker
 * is not the guest's (shop-team): its Deploy and Sync buttons are disabled and say why.
 */

const SANDBOX_URL = 'http://localhost:7200';
const RELEASE_TIMEOUT = 180_000;
const RELEASES_BAR = { failOn: 'moderate' } as const;
const DEPLOY_DENIED =
  /^Deploying, redeploying and cancelling releases need membership of Payments Team, who own this project\. Ask them or a portal admin for access\.$/;
const SYNC_DENIED =
  /^Syncing an environment needs membership of Payments Team, who own this project\. Ask them or a portal admin for access\.$/;

async function openTab(page: Page, component: string, tab: string) {
  await openComponent(page, component);
  await page.locator(`a[href$="/${component}/${tab}"]`).click();
  await expect(
    page.getByRole('region', { name: 'Environment staging' }),
  ).toBeVisible();
}

/** Sets a marker on the page's window: gone if the page is loaded again. */
async function markWindow(page: Page) {
  await page.evaluate(() => {
    (window as any).webhookPushLoadMarker = true;
  });
}

async function expectNotReloaded(page: Page) {
  expect(
    await page.evaluate(() => (window as any).webhookPushLoadMarker),
    `${page.url()} was loaded again`,
  ).toBe(true);
}

/** Rotates the secret on the Autonomous tab and reads the URL and the secret it shows once. */
async function rotateWebhookSecret(page: Page) {
  const url = page.locator('[data-webhook-url]');
  await expect(url).toHaveText(/\/api\/autonomous\/webhooks\/github$/);
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  const confirm = page.getByRole('dialog', {
    name: 'Rotate the webhook secret?',
  });
  await confirm.getByRole('button', { name: 'Rotate', exact: true }).click();
  await expect(confirm).toHaveCount(0);
  const shown = page
    .getByRole('status')
    .filter({ hasText: 'Paste this secret into the GitHub webhook' });
  await expect(shown).toContainText('of example/storefront now');
  await expect(page.getByText(/^Its secret is in Vault/)).toBeVisible();
  return {
    url: (await url.textContent())!,
    secret: (await shown.locator('code').textContent())!,
  };
}

interface SentDelivery {
  deliveryId: string;
  status: number;
  body: {
    message: string;
    projects?: Array<{ entityRef: string; outcome: string; detail: string }>;
  };
}

/** Has the sandbox send a push of main to the webhook, signed as GitHub signs it. */
async function pushToMain(
  target: { url: string; secret: string },
  message: string,
): Promise<SentDelivery> {
  const res = await fetch(`${SANDBOX_URL}/_sandbox/webhooks/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      provider: 'github',
      repository: 'example/storefront',
      branch: 'main',
      message,
      url: target.url,
      secret: target.secret,
    }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const { deliveries } = JSON.parse(text) as { deliveries: SentDelivery[] };
  expect(deliveries).toHaveLength(1);
  return deliveries[0];
}

/** "#12 main-1a2b3c4d" of the push's staging release, as the delivery's answer names it. */
function stagingRelease(delivery: SentDelivery): string {
  const project = delivery.body.projects?.find(
    p => p.entityRef === 'component:default/storefront',
  );
  expect(project, JSON.stringify(delivery.body)).toBeDefined();
  expect(project!.outcome, project!.detail).toBe('released');
  const match = project!.detail.match(
    /staging: released as (#\d+) \(([^)]+)\)/,
  );
  expect(match, project!.detail).not.toBeNull();
  return `${match![1]} ${match![2]}`;
}

/** The release's row in the Releases tab's history. */
function historyRow(page: Page, name: string): Locator {
  return page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name, exact: true }) });
}

test('a GitHub push to main releases the storefront on its open Autonomous and Releases tabs, without a reload', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(8 * 60_000);
  // Alice (platform-team, who may change any project's settings) and not the guest: the guest
  // is whoever opens a socket without a token, so it is never sent release signals, and its
  // pages ask again only while a release they show is in flight. Her session comes from the
  // e2e portal's platform-guest provider, for every page of the context, as
  // signInAsPlatformAdmin arranges it for one page.
  await context.route('**/api/auth/guest/refresh*', route =>
    route.continue({
      url: route
        .request()
        .url()
        .replace('/api/auth/guest/', '/api/auth/platform-guest/'),
    }),
  );
  await signInAsGuest(page);
  await openTab(page, 'storefront', 'autonomous');
  const webhook = await rotateWebhookSecret(page);
  // The second page shares the sign-in of the first (same browser context).
  const releases = await context.newPage();
  await openTab(releases, 'storefront', 'autonomous-releases');
  await markWindow(page);
  await markWindow(releases);

  const subject = `Checkout button says what it costs ${Date.now()}`;
  const delivery = await pushToMain(webhook, subject);
  // Answered as GitHub needs it: accepted, within GitHub's 10 s, with what it did.
  expect(delivery.status, JSON.stringify(delivery.body)).toBe(202);
  const name = stagingRelease(delivery);

  // The Releases tab: the release's row appears, requested by the push, and becomes healthy.
  const row = historyRow(releases, name);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText('webhook');
  await expect(row).toContainText('to staging');
  // The Autonomous tab: staging names the release while it is in flight or once it runs.
  const staging = page.getByRole('region', { name: 'Environment staging' });
  await expect(staging.getByRole('button', { name, exact: true })).toBeVisible({
    timeout: 30_000,
  });

  await expect(
    row.getByText(/^(healthy|failed|cancelled|degraded|rolled back)$/),
  ).toBeVisible({ timeout: RELEASE_TIMEOUT });
  await expect(row, 'the pushed release ends healthy').toContainText('healthy');
  // Built, it still names the commit that was pushed.
  await expect(row).toContainText(subject);
  await expect(staging).toContainText(`Running ${name}`, {
    timeout: 30_000,
  });
  await expect(staging).not.toContainText('In flight:');
  await expectNotReloaded(page);
  await expectNotReloaded(releases);

  await checkPageState(
    releases,
    testInfo,
    'Releases tab after a pushed release became healthy',
    RELEASES_BAR,
  );

  // The recent deliveries are read when the tab is shown: back to it through the tabs, not
  // by loading the page again.
  await page.locator('a[href$="/storefront/autonomous-releases"]').click();
  await expect(historyRow(page, name)).toBeVisible();
  await page.locator('a[href$="/storefront/autonomous"]').click();
  await expect(page.locator('[data-webhook-url]')).toBeVisible();
  // Only the recent deliveries list commits with their subject on this tab.
  const deliveryRow = page.getByRole('row').filter({ hasText: subject });
  await expect(deliveryRow).toBeVisible();
  await expect(deliveryRow).toContainText('push');
  await expect(deliveryRow).toContainText('released');
  await expect(deliveryRow).toContainText(
    `staging: released as ${name.replace(' ', ' (')})`,
  );
  await expectNotReloaded(page);
  await deliveryRow.scrollIntoViewIfNeeded();
  await checkPageState(
    page,
    testInfo,
    'Autonomous tab with the delivery of a pushed release',
  );
});

test('a user without the deploy permission sees Deploy and Sync disabled with the reason', async ({
  page,
}, testInfo) => {
  await signInAsGuest(page);
  for (const tab of ['autonomous', 'autonomous-releases']) {
    await openTab(page, 'payments-worker', tab);
    for (const environment of ['staging', 'production']) {
      const region = page.getByRole('region', {
        name: `Environment ${environment}`,
      });
      const deploy = region.getByRole('button', {
        name: `Deploy to ${environment}`,
      });
      await expect(deploy).toHaveAttribute('aria-disabled', 'true');
      await expect(deploy).toHaveAccessibleDescription(DEPLOY_DENIED);
      for (const action of ['Sync now', 'Hard refresh']) {
        const button = region.getByRole('button', {
          name: `${action} (${environment})`,
        });
        await expect(button).toHaveAttribute('aria-disabled', 'true');
        await expect(button).toHaveAccessibleDescription(SYNC_DENIED);
      }
    }
    // A mouse user is told the same on hover.
    await page
      .getByRole('region', { name: 'Environment staging' })
      .getByRole('button', { name: 'Deploy to staging' })
      .hover();
    await expect(page.getByRole('tooltip')).toHaveText(DEPLOY_DENIED);
    const state = `${tab} tab of the payments worker, actions disabled`;
    await checkPageState(
      page,
      testInfo,
      state,
      tab === 'autonomous-releases' ? RELEASES_BAR : undefined,
    );
  }
});
