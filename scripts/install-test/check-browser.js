#!/usr/bin/env node
/*
 * Opens the portal in Debian's Chromium and checks what a platform team would check by hand:
 * after the guest sign-in, the sample project's entity page has a "Releases" tab, and the tab
 * renders the release history (its empty state on a fresh portal, or the table). Uses the
 * repository's playwright-core; never downloads a browser.
 *
 * Usage: check-browser.js APP_URL ENTITY_PATH SCREENSHOT_DIR
 */
const path = require('node:path');
const fs = require('node:fs');
const { createRequire } = require('node:module');

const repoRoot = path.resolve(__dirname, '../..');
const { chromium } = createRequire(path.join(repoRoot, 'package.json'))(
  'playwright-core',
);

const [appUrl, entityPath, shots] = process.argv.slice(2);
const deadline = Date.now() + 240_000;
const left = () => Math.max(1_000, deadline - Date.now());

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(shots, 'chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
  try {
    await page.goto(appUrl, { timeout: left() });
    // The template's guest sign-in: a button on the new system, `auto` may skip it on the legacy one.
    const enter = page.getByRole('button', { name: 'Enter' });
    const signedIn = page.locator('nav[aria-label="sidebar nav"]');
    await enter
      .or(signedIn)
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    if (await enter.isVisible()) await enter.click();
    await signedIn.waitFor({ state: 'attached', timeout: 60_000 });

    // The catalog reads the file location a few seconds after the backend starts.
    // A tab on the legacy entity page, a header nav link on the new one.
    const releasesTab = page
      .getByRole('tab', { name: 'Releases', exact: true })
      .or(page.getByRole('link', { name: 'Releases', exact: true }))
      .first();
    let found = false;
    while (!found && Date.now() < deadline) {
      await page.goto(`${appUrl}${entityPath}`, { timeout: left() });
      found = await releasesTab
        .waitFor({ timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
    }
    if (!found) throw new Error(`no "Releases" tab on ${entityPath}`);
    console.log('check-browser: the entity page has a Releases tab');

    await releasesTab.click();
    await page.waitForURL(/\/autonomous-releases$/, { timeout: 30_000 });
    const history = page
      .getByText('No releases yet')
      .or(page.getByRole('table'))
      .first();
    const failure = page.getByText(/error|failed|not found/i).first();
    await history.or(failure).waitFor({ timeout: 60_000 });
    if (!(await history.isVisible())) {
      throw new Error(`the Releases tab shows: ${await failure.textContent()}`);
    }
    console.log(
      `check-browser: the Releases tab renders (${(
        await history.textContent()
      )?.slice(0, 60)})`,
    );
    await page.screenshot({ path: path.join(shots, 'releases.png') });
  } catch (error) {
    await page
      .screenshot({ path: path.join(shots, 'failure.png') })
      .catch(() => {});
    console.error(`check-browser: FAIL: ${error.message}`);
    if (pageErrors.length)
      console.error(`page errors:\n  ${pageErrors.join('\n  ')}`);
    console.error(
      `page text: ${(
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      ).slice(0, 1500)}`,
    );
    process.exitCode = 1;
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main();
