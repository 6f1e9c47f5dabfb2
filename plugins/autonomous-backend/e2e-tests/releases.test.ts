import { expect, test } from '@playwright/test';
import knexFactory, { Knex } from 'knex';
import { DatabaseReleaseStore } from '../src/database/ReleaseStore';
// The portal under test and its data folder are set up by the root playwright.config.ts.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  AUTONOMOUS_SQLITE_FILE,
  openComponent,
  signInAsGuest,
} from '../../../packages/app/e2e-tests/support';

/*
 * The Releases tab against the real backend: the test writes releases into the backend's own
 * SQLite file through the plugin's store, then reads them back the way a user does.
 */

const STOREFRONT = 'component:default/storefront';
const RELEASES = 27;

let knex: Knex;

test.beforeAll(async () => {
  knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: AUTONOMOUS_SQLITE_FILE },
    useNullAsDefault: true,
  });
  // The backend creates its tables at start; playwright starts the backend before any test.
  // History written behind the backend's back, in one transaction that ends with no release
  // due: its orchestrator never sees the one left "building", which has no build to follow.
  await knex.transaction(async tx => {
    await tx('releases').where({ entity_ref: STOREFRONT }).delete();
    const store = new DatabaseReleaseStore(tx);
    for (let n = 1; n <= RELEASES; n++) {
      const release = await store.createRelease({
        entityRef: STOREFRONT,
        // The one left building is in production, so deploying to staging stays possible.
        environment: n % 3 === 1 ? 'staging' : 'production',
        version: `2.4.${n}`,
        commitSha: `${n}`.padStart(7, '0') + 'f'.repeat(33),
        commitMessage: `Change number ${n}`,
        trigger: n % 2 ? 'webhook' : 'manual',
        requestedBy: 'user:default/guest',
      });
      await store.transition(release.id, 'building', 'build started');
      if (n === RELEASES) continue; // the newest is still building
      await store.transition(release.id, 'failed', 'build failed');
    }
    await tx('releases')
      .where({ entity_ref: STOREFRONT })
      .update({ next_check_at: null });
  });
});

test.afterAll(async () => {
  await knex?.destroy();
});

test('the storefront Releases tab pages through the release history', async ({
  page,
}) => {
  await signInAsGuest(page);
  await openComponent(page, 'storefront');
  await page.locator('a[href$="/autonomous-releases"]').click();
  await expect(page).toHaveURL(/\/autonomous-releases$/);

  const rows = page.locator('tbody tr');
  // Newest first: the release still building leads the first page of 20.
  await expect(rows.first()).toContainText('2.4.27');
  await expect(rows.first()).toContainText('building');
  await expect(rows.first()).toContainText('0000027');
  await expect(rows).toHaveCount(20);
  await expect(page.getByText('2.4.8', { exact: true })).toBeVisible();
  await expect(page.getByText('2.4.7', { exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(rows.first()).toContainText('2.4.7');
  await expect(rows).toHaveCount(7);
  await expect(rows.last()).toContainText('2.4.1');
  await expect(rows.last()).toContainText('failed');
  await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();

  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(rows.first()).toContainText('2.4.27');
});
