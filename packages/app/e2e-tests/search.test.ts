import { expect, Locator, Page, test } from '@playwright/test';
// better-sqlite3 is in the repository's dependencies through the backend; the test writes
// rows into the Autonomous backend's SQLite file, as support.ts allows.
// eslint-disable-next-line @backstage/no-undeclared-imports
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { checkPageState } from './accessibility';
import { AUTONOMOUS_SQLITE_FILE, signInAsGuest } from './support';

/*
 * Portal search finds the suite's documents (search-backend-module-autonomous and the
 * frontend's result items): searching for the storefront finds its project, its most recent
 * releases (at most search.collators.autonomous.releases.perProject of them, 10 in
 * app-config.yaml) and its database, each with status, environment and when. The demo
 * portal indexes every 30 seconds; the test waits for the run after it wrote its rows.
 */

const INDEX_TIMEOUT = 150_000;
const ENTITY = 'component:default/storefront';
const RELEASES = 12;

/** Twelve finished releases of the storefront, the last one degraded in production. */
function writeReleases(): string[] {
  const db = new Database(AUTONOMOUS_SQLITE_FILE);
  try {
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare(
      `INSERT INTO releases (id, entity_ref, environment, version, trigger, requested_by,
         status, commit_message, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'api', 'user:default/guest', ?, ?, ?, ?)`,
    );
    const start = Date.now() - RELEASES * 60_000;
    const versions: string[] = [];
    for (let i = 1; i <= RELEASES; i++) {
      const version = `search-e2e-${i}`;
      const at = start + i * 60_000;
      insert.run(
        randomUUID(),
        ENTITY,
        i % 2 ? 'production' : 'staging',
        version,
        i === RELEASES ? 'degraded' : 'healthy',
        `search test release ${i}`,
        at,
        at,
      );
      versions.push(version);
    }
    // The storefront's database, unless its Database tab test provisioned one already.
    const live = db
      .prepare(
        `SELECT COUNT(*) AS n FROM database_instances WHERE entity_ref = ? AND status != 'deleted'`,
      )
      .get('resource:default/storefront-db') as { n: number };
    if (live.n === 0) {
      db.prepare(
        `INSERT INTO database_instances (id, entity_ref, name, engine, version, mode,
           environment, namespace, storage_gi, status, credentials_path, created_by,
           created_at, updated_at)
         VALUES (?, 'resource:default/storefront-db', 'storefront', 'postgresql', '16',
           'single', 'production', 'db-storefront', 1, 'ready',
           'autonomous/databases/storefront', 'user:default/guest', ?, ?)`,
      ).run(randomUUID(), Date.now(), Date.now());
    }
    return versions;
  } finally {
    db.close();
  }
}

/** The search page's results for a term, typed into the search box as a person does. */
async function search(page: Page, term: string) {
  await page.goto('/search');
  const box = page.getByRole('textbox', { name: /search/i }).first();
  await box.fill(term);
  await box.press('Enter');
}

/** The Autonomous result items (they mark themselves as the plugin's DOM). */
function autonomousResults(page: Page): Locator {
  return page.locator('[data-autonomous-plugin]');
}

test('searching for the storefront finds its project, its recent releases and its database', async ({
  page,
}, testInfo) => {
  test.setTimeout(INDEX_TIMEOUT + 120_000);
  await signInAsGuest(page);
  const versions = writeReleases();
  const newest = versions[versions.length - 1];

  const project = autonomousResults(page).filter({
    has: page.getByText('Project', { exact: true }),
  });
  // The next index runs pick the rows up; search until they have. Projects and releases are
  // indexed by tasks of their own, each on its own schedule, so each is waited for.
  await expect(async () => {
    await search(page, 'storefront');
    await expect(
      autonomousResults(page).filter({
        has: page.getByRole('link', {
          name: `storefront ${newest} to staging`,
        }),
      }),
    ).toBeVisible({ timeout: 5_000 });
    await expect(project.getByText('degraded', { exact: true })).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: INDEX_TIMEOUT });

  await expect(
    project.getByRole('link', { name: 'Storefront', exact: true }),
  ).toHaveAttribute(
    'href',
    '/catalog/default/component/storefront/autonomous-releases',
  );
  // The catalog's own result for the storefront keeps the catalog's document beside it.
  await expect(
    page
      .getByRole('listitem')
      .filter({
        has: page.locator('a[href="/catalog/default/component/storefront"]'),
      })
      .filter({ hasText: 'Kind: Component' }),
  ).toBeVisible();
  // The project says how its last release went, where and when.
  await expect(project.getByText('degraded', { exact: true })).toBeVisible();
  await expect(project).toContainText('Environment: staging');

  const newestItem = autonomousResults(page).filter({
    has: page.getByRole('link', { name: `storefront ${newest} to staging` }),
  });
  await expect(newestItem.getByText('degraded', { exact: true })).toBeVisible();
  await expect(newestItem.locator('time')).toBeVisible();
  await expect(
    newestItem.getByRole('link', { name: `storefront ${newest} to staging` }),
  ).toHaveAttribute(
    'href',
    /\/catalog\/default\/component\/storefront\/autonomous-releases\?release=/,
  );

  // Only the ten most recent releases are indexed: the two oldest are not found.
  const releaseLinks = page.getByRole('link', {
    name: /^storefront search-e2e-\d+ to (production|staging)$/,
  });
  await expect(releaseLinks).toHaveCount(10);
  await expect(
    page.getByRole('link', { name: /^storefront search-e2e-(1|2) to / }),
  ).toHaveCount(0);

  await expect(
    autonomousResults(page)
      .filter({ has: page.getByText('Database', { exact: true }) })
      .filter({ hasText: 'storefront' })
      .first(),
  ).toBeVisible();

  await checkPageState(page, testInfo, 'search results for storefront');
});
