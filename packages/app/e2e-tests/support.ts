import { expect, Page } from '@playwright/test';
import path from 'node:path';

/*
 * Facts about the portal that playwright.config.ts starts for the browser tests, shared by
 * the config and the tests. The values must agree with app-config.e2e.yaml.
 */

const repoRoot = path.resolve(__dirname, '../../..');

/** The frontend the tests drive. */
export const E2E_APP_URL = 'http://localhost:3100';

/** The backend behind it. */
export const E2E_BACKEND_URL = 'http://localhost:7100';

/**
 * The backend's SQLite directory (one file per plugin). Emptied each time the test run
 * starts the backend, so every run begins with no releases and no databases.
 */
export const E2E_DATA_DIR = path.join(repoRoot, '.data', 'e2e', 'sqlite');

/**
 * The Autonomous backend's own SQLite file inside E2E_DATA_DIR. A test can write rows
 * into it (for example releases for the Releases tab) once the backend has created its
 * tables, that is once the portal is up.
 */
export const AUTONOMOUS_SQLITE_FILE = path.join(
  E2E_DATA_DIR,
  'autonomous.sqlite',
);

/** Signs in with the development guest provider and waits until the portal shows. */
export async function signInAsGuest(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in once the sidebar shows; navigating earlier lands on the sign-in page again.
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

/**
 * Signs in as Alice, a member of platform-team, the portal's admins (the Template Editor and
 * dry runs are theirs). The sign-in page offers only the guest, so she signs in with the
 * guest button, whose request goes to the e2e portal's second development identity,
 * `auth.providers.platform-guest` (app-config.e2e.yaml), for as long as the page lives
 * (its session refreshes too).
 */
export async function signInAsPlatformAdmin(page: Page): Promise<void> {
  await page.route('**/api/auth/guest/refresh*', route =>
    route.continue({
      url: route
        .request()
        .url()
        .replace('/api/auth/guest/', '/api/auth/platform-guest/'),
    }),
  );
  await signInAsGuest(page);
}

/**
 * Opens a component's page, waiting for the catalog to have read examples/. It goes to the
 * entity's address rather than through the catalog list, so a change to the list page
 * does not stop the tests of the entity's tabs.
 */
export async function openComponent(page: Page, name: string): Promise<void> {
  const tabs = page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Overview' });
  // Until the catalog has read examples/, the page says the entity was not found.
  await expect(async () => {
    await page.goto(`/catalog/default/component/${name}`);
    await expect(tabs).toBeVisible({ timeout: 20_000 });
  }).toPass({ timeout: 120_000 });
}
