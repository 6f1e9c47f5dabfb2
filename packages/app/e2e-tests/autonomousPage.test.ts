import { expect, Page, test } from '@playwright/test';
// better-sqlite3 is in the repository's dependencies through the backend; the test writes
// rows into the Autonomous backend's SQLite file, as support.ts allows.
// eslint-disable-next-line @backstage/no-undeclared-imports
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { checkPageState } from './accessibility';
import { AUTONOMOUS_SQLITE_FILE, signInAsGuest } from './support';

/*
 * The Autonomous page: the sample projects listed with their status, filtered by owner, and
 * the owner's delivery metrics, whose change failure rate links to the release behind it,
 * opened in the storefront's Releases tab. The test writes three production releases of the
 * storefront an hour apart: healthy, failed, healthy.
 */

const ENTITY = 'component:default/storefront';
const HOUR = 3_600_000;

function writeReleases(): { failedVersion: string; failedNumber: number } {
  const db = new Database(AUTONOMOUS_SQLITE_FILE);
  try {
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare(
      `INSERT INTO releases (id, number, entity_ref, environment, version, trigger,
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
  await expect(
    page.getByRole('heading', { name: 'Autonomous', exact: true }),
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

  await failureRate
    .getByRole('button', { name: 'Show the 1 release behind it' })
    .click();
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
