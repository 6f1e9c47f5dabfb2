import { expect, Page, test } from '@playwright/test';
import { checkPageState } from './accessibility';
import { setStagingGate, steerPrometheus } from './stagingGate';
import { openComponent, signInAsGuest } from './support';

/*
 * Health gates in the release drawer against the real backend and the upstream sandbox: the
 * storefront's staging environment gets an error-ratio gate, the sandbox's Prometheus is
 * steered healthy, and a deploy is watched through the gate's window: its query, its chart
 * filling with values, "evaluating", then "passed" and the release healthy. Every state is
 * checked with axe-core. The gate is removed afterwards, so other tests deploy ungated.
 */

async function deployToStaging(page: Page) {
  await page
    .getByRole('region', { name: 'Environment staging' })
    .getByRole('button', { name: 'Deploy to staging' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Deploy' });
  await dialog.getByLabel('Branch, tag or commit').fill('main');
  await dialog.getByLabel('Reason').fill('health gates in the drawer');
  await dialog.getByLabel('Reason').press('Enter');
  await expect(dialog).toHaveCount(0);
}

test('shows a release held by its health gate: query, chart, verdict, all accessible', async ({
  page,
}, testInfo) => {
  test.setTimeout(6 * 60_000);
  await signInAsGuest(page);
  await openComponent(page, 'storefront');
  await page.locator('a[href$="/autonomous-releases"]').click();
  await expect(
    page.getByRole('region', { name: 'Environment staging' }),
  ).toBeVisible();
  setStagingGate(true);
  await steerPrometheus({ mode: 'healthy' });
  try {
    await deployToStaging(page);
    const drawer = page.getByRole('dialog', { name: /^Release / });
    const gate = drawer
      .getByRole('region', { name: 'Health gates' })
      .getByRole('region', { name: 'Gate error-ratio' });
    await expect(gate).toBeVisible({ timeout: 180_000 });
    await expect(gate.getByText('evaluating', { exact: true })).toBeVisible();
    await expect(gate.getByLabel('Query of error-ratio')).toContainText(
      'namespace="storefront-staging"',
    );
    await expect(
      gate.getByRole('figure', {
        name: 'Values of error-ratio over its window',
      }),
    ).toBeVisible();
    await expect(
      gate.getByText(/^\d+ samples; the last was 0\.001\.$/),
    ).toBeVisible();
    await gate.scrollIntoViewIfNeeded();
    await checkPageState(page, testInfo, 'health gate evaluating', {
      failOn: 'moderate',
    });

    await expect(gate.getByText('passed', { exact: true })).toBeVisible({
      timeout: 60_000,
    });
    await expect(
      gate.getByText(/^Passed: held < 0\.01 for 20 s/),
    ).toBeVisible();
    await expect(
      drawer
        .getByRole('list', { name: 'Stages' })
        .getByText('healthy', { exact: true })
        .first(),
    ).toBeVisible({ timeout: 30_000 });
    await gate.scrollIntoViewIfNeeded();
    await checkPageState(page, testInfo, 'health gate passed', {
      failOn: 'moderate',
    });
  } finally {
    setStagingGate(false);
    await steerPrometheus();
  }
});
