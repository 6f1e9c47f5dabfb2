import { expect, Locator, Page, test } from '@playwright/test';
import {
  announcements,
  checkPageState,
  listenToAnnouncements,
} from './accessibility';
import { openComponent, signInAsGuest } from './support';

/*
 * The Releases tab as someone using a keyboard and a screen reader meets it, checked with
 * axe-core in every state (see accessibility.ts): a non-owner's view of payments-api, and
 * on the storefront, which the guest owns through shop-team, a deploy by keyboard watched
 * to healthy, the drawer closed, and a roll back by keyboard.
 */

const RELEASE_TIMEOUT = 120_000;

/** The Releases tab is held to no moderate axe violation either. */
const RELEASES_BAR = { failOn: 'moderate' } as const;

async function openReleasesTab(page: Page, component: string) {
  await signInAsGuest(page);
  await openComponent(page, component);
  await page.locator('a[href$="/autonomous-releases"]').click();
  await expect(
    page.getByRole('region', { name: 'Environment staging' }),
  ).toBeVisible();
  // The history (or the empty state) has loaded.
  await expect(
    page.getByText(/^(Release history|No releases yet)$/).first(),
  ).toBeVisible();
}

function drawer(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Release / });
}

/** Presses a control with the keyboard, as someone without a mouse does. */
async function press(control: Locator, key = 'Enter') {
  await control.focus();
  await expect(control).toBeFocused();
  await control.press(key);
}

async function deployByKeyboard(page: Page, reason: string) {
  const deploy = page
    .getByRole('region', { name: 'Environment staging' })
    .getByRole('button', { name: 'Deploy to staging' });
  await press(deploy);
  const dialog = page.getByRole('dialog', { name: 'Deploy' });
  await expect(dialog).toBeVisible();
  const source = dialog.getByLabel('Branch, tag or commit');
  await source.fill('main');
  await source.press('Tab');
  const why = dialog.getByLabel('Reason');
  await expect(why).toBeFocused();
  await why.fill(reason);
  // Enter in a field submits the form.
  await why.press('Enter');
  await expect(dialog).toHaveCount(0);
}

/** Waits until the release in the drawer is healthy; returns its name ("#3 main-3"). */
async function watchUntilHealthy(page: Page): Promise<string> {
  const heading = drawer(page).getByRole('heading', {
    name: /^Release .+ to staging$/,
  });
  await expect(heading).toBeVisible();
  const version = (await heading.textContent())!
    .replace(/^Release /, '')
    .replace(/ to staging$/, '');
  const stages = drawer(page).getByRole('list', { name: 'Stages' });
  const outcome = stages
    .getByText(/^(healthy|failed|cancelled|rolled back)$/)
    .first();
  await expect(outcome).toBeVisible({ timeout: RELEASE_TIMEOUT });
  if ((await outcome.textContent()) !== 'healthy') {
    throw new Error(
      `release ${version} did not become healthy: ${await stages.innerText()}`,
    );
  }
  return version;
}

test('a non-owner reaches, by keyboard and screen reader, why they cannot change a project', async ({
  page,
}, testInfo) => {
  await openReleasesTab(page, 'payments-api');

  const access = page.getByRole('region', { name: 'Your access' });
  await expect(access).toContainText(
    'You can view the releases of Payments API, but not change them.',
  );
  // The owners by their title, linked to their group, not by a raw id.
  await expect(
    access.getByRole('link', { name: 'Payments Team' }),
  ).toHaveAttribute('href', /\/catalog\/default\/group\/payments-team$/);

  const deploy = page
    .getByRole('region', { name: 'Environment staging' })
    .getByRole('button', { name: 'Deploy to staging' });
  await expect(deploy).toHaveAttribute('aria-disabled', 'true');
  await expect(deploy).toHaveAccessibleDescription(
    /^Deploying, redeploying and cancelling releases need membership of Payments Team/,
  );
  // Reachable with Tab: the reason is read when the button gets focus.
  await press(deploy);
  await expect(page.getByRole('dialog', { name: 'Deploy' })).toHaveCount(0);
  const sync = page
    .getByRole('region', { name: 'Environment staging' })
    .getByRole('button', { name: 'Sync now (staging)' });
  await expect(sync).toHaveAccessibleDescription(
    /^Syncing an environment needs/,
  );

  const empty = await page.getByText('No releases yet').isVisible();
  await checkPageState(
    page,
    testInfo,
    empty ? 'non-owner, no releases yet' : 'non-owner',
    RELEASES_BAR,
  );
});

test('deploy, watch, close and roll back by keyboard, every state accessible', async ({
  page,
}, testInfo) => {
  test.setTimeout(8 * 60_000);
  await openReleasesTab(page, 'storefront');
  const empty = await page.getByText('No releases yet').isVisible();
  await checkPageState(
    page,
    testInfo,
    empty ? 'tab empty' : 'release history',
    RELEASES_BAR,
  );
  await listenToAnnouncements(page);

  // Deploy dialog: a bad name is refused on its field, before anything is sent.
  const deploy = page
    .getByRole('region', { name: 'Environment staging' })
    .getByRole('button', { name: 'Deploy to staging' });
  await press(deploy);
  const dialog = page.getByRole('dialog', { name: 'Deploy' });
  await expect(dialog).toBeVisible();
  await checkPageState(page, testInfo, 'deploy dialog open', RELEASES_BAR);

  const source = dialog.getByLabel('Branch, tag or commit');
  await source.fill('main..x');
  await source.press('Enter');
  await expect(source).toHaveAttribute('aria-invalid', 'true');
  await expect(source).toHaveAccessibleDescription(
    'A branch or tag name cannot contain two dots in a row (“..”).',
  );
  await expect(source).toBeFocused();
  await expect(dialog).toBeVisible();
  await checkPageState(
    page,
    testInfo,
    'deploy dialog, error on the field',
    RELEASES_BAR,
  );

  // Escape closes the dialog; focus goes back to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(deploy).toBeFocused();

  // A first release, followed in the drawer from building to healthy.
  await deployByKeyboard(page, 'accessibility check, first release');
  await expect(drawer(page)).toBeVisible();
  await checkPageState(
    page,
    testInfo,
    'drawer, release in flight',
    RELEASES_BAR,
  );
  const first = await watchUntilHealthy(page);

  // The statuses are in the accessibility tree, not only on screen.
  const stagesTree = await drawer(page)
    .getByRole('list', { name: 'Stages' })
    .ariaSnapshot();
  expect(stagesTree).toContain('healthy');
  expect(stagesTree).toContain('building');
  await expect
    .poll(() => announcements(page), { timeout: 30_000 })
    .toContainEqual(
      expect.stringMatching(
        new RegExp(`^${first} to staging: healthy after \\d+`),
      ),
    );
  const heard = await announcements(page);
  expect(heard.length, `announced: ${heard.join(' | ')}`).toBeGreaterThan(1);

  // The release is told apart by its number and by the commit its build checked out.
  const [, firstNumber, firstVersion] = /^#(\d+) (\S+)$/.exec(first)!;
  expect(firstVersion).toBe(`main-${firstNumber}`);
  const facts = drawer(page).getByRole('region', { name: 'Release' });
  await expect(facts).toContainText(`#${firstNumber} (${firstVersion})`);
  const fullSha = facts.getByText(/^[0-9a-f]{40}$/);
  await expect(fullSha).toBeVisible();
  const sha = (await fullSha.textContent())!;
  await checkPageState(page, testInfo, 'drawer, release healthy', RELEASES_BAR);

  // A pod's logs open from its Logs button, which keeps the focus while the table updates.
  const logs = drawer(page)
    .getByRole('button', { name: /^Logs of / })
    .first();
  await press(logs);
  await expect(logs).toHaveAttribute('aria-pressed', 'true');
  // The pod's log, beside the build's ("Log of shop/storefront #3").
  await expect(
    drawer(page).getByRole('region', { name: /^Log of storefront-staging-/ }),
  ).toBeVisible();
  await page.waitForTimeout(2_000);
  await expect(logs).toBeFocused();
  await checkPageState(page, testInfo, 'drawer, pod logs open', RELEASES_BAR);

  // Escape closes the drawer; focus returns to the button that started it all.
  await page.keyboard.press('Escape');
  await expect(drawer(page)).toHaveCount(0);
  await expect(deploy).toBeFocused();
  const history = page.getByRole('table').first();
  expect(await history.ariaSnapshot()).toContain('healthy');
  const firstRow = history
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: first, exact: true }) });
  await expect(
    firstRow.getByText(sha.slice(0, 7), { exact: true }),
  ).toHaveAttribute('title', sha);

  // A second release, so the first can be rolled back to.
  await deployByKeyboard(page, 'accessibility check, second release');
  await watchUntilHealthy(page);
  await page.keyboard.press('Escape');
  await expect(drawer(page)).toHaveCount(0);
  await expect(deploy).toBeFocused();

  const rollback = page.getByRole('button', {
    name: `Roll back to ${first} (staging)`,
  });
  await expect(rollback).toBeVisible({ timeout: 30_000 });
  await press(rollback);
  const confirm = page.getByRole('dialog', {
    name: `Roll back staging to ${first}?`,
  });
  await expect(confirm).toBeVisible();
  await checkPageState(page, testInfo, 'rollback dialog', RELEASES_BAR);
  const why = confirm.getByLabel('Reason');
  await why.fill('accessibility check, roll back');
  await why.press('Enter');
  await expect(confirm).toHaveCount(0);

  const rolledBack = await watchUntilHealthy(page);
  // The rollback is a release of its own, numbered after the second, named by where it went.
  expect(Number(/^#(\d+)/.exec(rolledBack)![1])).toBeGreaterThan(
    Number(firstNumber),
  );
  const origin = drawer(page)
    .getByRole('region', { name: 'Release' })
    .getByText(/^rollback to #/);
  await expect(origin).toHaveText(`rollback to #${firstNumber}`);
  await expect(
    origin.getByRole('button', { name: `#${firstNumber}` }),
  ).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(drawer(page)).toHaveCount(0);
  const rollbackRow = history.getByRole('row').filter({
    has: page.getByRole('button', { name: rolledBack, exact: true }),
  });
  await expect(rollbackRow).toContainText(`rollback to #${firstNumber}`);
  // The release that is live offers no roll back to itself, anywhere on the page.
  await expect(
    page.getByRole('button', { name: `Roll back to ${rolledBack} (staging)` }),
  ).toHaveCount(0);
  // Back on the page, on the release rolled back to (its Roll back button is gone).
  const focused = await page.evaluate(() => ({
    inPlugin: Boolean(
      document.activeElement?.closest('[data-autonomous-plugin]'),
    ),
    text: document.activeElement?.textContent ?? '',
  }));
  expect(focused.inPlugin, `focus is on "${focused.text}"`).toBe(true);
  await checkPageState(page, testInfo, 'after a roll back', RELEASES_BAR);
});
