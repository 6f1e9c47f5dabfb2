import { expect, Page, test } from '@playwright/test';
// better-sqlite3 is in the repository's dependencies through the backend; the test writes
// rows into the Autonomous backend's SQLite file, as support.ts allows.
// eslint-disable-next-line @backstage/no-undeclared-imports
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { checkPageState } from './accessibility';
import {
  AUTONOMOUS_SQLITE_FILE,
  E2E_BACKEND_URL,
  signInAsGuest,
} from './support';

/*
 * The Autonomous page: the sample projects listed with their status, filtered by owner, and
 * the owner's delivery metrics, whose change failure rate links to the release behind it,
 * opened in the storefront's Releases tab. The test writes three production releases of the
 * storefront an hour apart: healthy, failed, healthy. Then a real release of the storefront to
 * staging, started through the API against the upstream sandbox, shows on the open page as it
 * moves and when it is healthy, without the page being loaded again.
 */

const ENTITY = 'component:default/storefront';
const HOUR = 3_600_000;

function writeReleases(): { failedVersion: string; failedNumber: number } {
  const db = new Database(AUTONOMOUS_SQLITE_FILE);
  try {
    db.pragma('busy_timeout = 5000');
    // A retry finds the first attempt's rows (same numbers) and keeps them.
    const insert = db.prepare(
      `INSERT OR IGNORE INTO releases (id, number, entity_ref, environment, version, trigger,
         requested_by, status, image_ref, committed_at, created_at, started_at, finished_at,
         updated_at)
       VALUES (?, ?, ?, 'production', ?, 'api', 'user:default/guest', ?, ?, ?, ?, ?, ?, ?)`,
    );
    const start = Date.now() - 4 * HOUR;
    const rows: Array<[string, string]> = [
      ['metrics-e2e-1', 'healthy'],
      ['metrics-e2e-2', 'failed'],
      ['metrics-e2e-3', 'healthy'],
    ];
    rows.forEach(([version, status], i) => {
      const at = start + i * HOUR;
      insert.run(
        randomUUID(),
        901 + i,
        ENTITY,
        version,
        status,
        `harbor.local/shop/storefront@sha256:${String(i).repeat(64)}`,
        at - HOUR / 2,
        at,
        at,
        at + 10 * 60_000,
        at + 10 * 60_000,
      );
    });
    return { failedVersion: 'metrics-e2e-2', failedNumber: 902 };
  } finally {
    db.close();
  }
}

/** The Autonomous page through its sidebar item, once the catalog has read examples/. */
async function openAutonomousPage(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Autonomous', exact: true })
    .click();
  // The page's own header (the app may announce the route with a heading of the same name).
  await expect(
    page
      .getByRole('main')
      .getByRole('heading', { name: 'Autonomous', exact: true }),
  ).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(
      page.getByRole('link', { name: 'Payments API', exact: true }),
    ).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000 });
}

test('the Autonomous page lists the sample projects, filters by owner and drills into the metrics', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  const { failedVersion, failedNumber } = writeReleases();
  await openAutonomousPage(page);

  const table = page.getByRole('table').first();
  for (const name of ['Storefront', 'Payments API', 'Payments Worker']) {
    await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
  }
  // The storefront's last release is the one written last: healthy, linked to its release.
  await expect(
    table.getByText('production: metrics-e2e-3', { exact: true }),
  ).toBeVisible();
  await checkPageState(page, testInfo, 'Autonomous page');

  await page.getByLabel('Owner').selectOption('shop-team');
  await expect(
    table.getByRole('link', { name: 'Payments API', exact: true }),
  ).toHaveCount(0);
  await expect(
    table.getByRole('link', { name: 'Storefront', exact: true }),
  ).toBeVisible();

  const failureRate = page.getByRole('region', { name: 'Change failure rate' });
  await expect(failureRate.getByText('1 of 3 changes failed')).toBeVisible();
  await expect(failureRate.getByText('33.3 %')).toBeVisible();
  await expect(
    page
      .getByRole('region', { name: 'Deployment frequency' })
      .getByText(/^2 deployments on \d days; 2 of 3 releases became healthy$/),
  ).toBeVisible();
  await checkPageState(
    page,
    testInfo,
    'Autonomous page with shop-team metrics',
  );

  // The figures come without their releases: opening the drill-down reads them.
  const drillDown = page.waitForResponse(
    response =>
      response.url().includes('/api/autonomous/metrics/releases?') &&
      response.url().includes('figure=changeFailureRate'),
  );
  await failureRate
    .getByRole('button', { name: 'Show the 1 release behind it' })
    .click();
  expect((await drillDown).status()).toBe(200);
  // metrics-e2e-3 became healthy an hour after the failure: that is its recovery.
  await expect(
    failureRate.getByText(/\(production, failed; failed, recovered in /),
  ).toBeVisible();
  await failureRate
    .getByRole('link', { name: `storefront #${failedNumber} ${failedVersion}` })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/storefront\/autonomous-releases\?release=/,
  );
  await expect(
    page.getByRole('dialog', {
      name: `Release #${failedNumber} ${failedVersion} to production`,
    }),
  ).toBeVisible();
});

test('a release that moves shows on the open Autonomous page without a reload', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  await openAutonomousPage(page);
  // Gone if the page were loaded again.
  await page.evaluate(() => {
    (window as any).autonomousPageLoadMarker = true;
  });
  const storefront = page
    .getByRole('table')
    .first()
    .getByRole('row')
    .filter({
      has: page.getByRole('link', { name: 'Storefront', exact: true }),
    });
  await expect(storefront).toBeVisible();

  const token = (
    await (
      await fetch(`${E2E_BACKEND_URL}/api/auth/guest/refresh`, {
        method: 'POST',
      })
    ).json()
  ).backstageIdentity.token;
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const created = await fetch(
    `${E2E_BACKEND_URL}/api/autonomous/projects/component/default/storefront/releases`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({
        environment: 'staging',
        ref: 'main',
        reason: 'Autonomous page live status test',
        onConflict: 'queue',
      }),
    },
  );
  expect(created.status).toBe(201);
  const { id } = await created.json();
  const statusLink = storefront.locator(`a[href*="release=${id}"]`);

  // The row's status becomes the new release's (seen on its way when the page reads it before
  // it ends), then healthy.
  await expect(statusLink).toBeVisible({ timeout: 90_000 });
  await expect(statusLink).toHaveText('healthy', { timeout: 180_000 });
  const release = await (
    await fetch(`${E2E_BACKEND_URL}/api/autonomous/releases/${id}`, {
      headers,
    })
  ).json();
  expect(release.status).toBe('healthy');
  await expect(
    storefront.getByText(`staging: ${release.version}`, { exact: true }),
  ).toBeVisible();
  expect(
    await page.evaluate(() => (window as any).autonomousPageLoadMarker),
  ).toBe(true);
});
