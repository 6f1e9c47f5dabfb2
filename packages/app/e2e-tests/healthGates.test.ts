import { expect, Page, test } from '@playwright/test';
// better-sqlite3 is in the repository's dependencies through the backend; the test writes
// rows into the Autonomous backend's SQLite file, as support.ts allows.
// eslint-disable-next-line @backstage/no-undeclared-imports
import Database from 'better-sqlite3';
import { checkPageState } from './accessibility';
import {
  AUTONOMOUS_SQLITE_FILE,
  openComponent,
  signInAsGuest,
} from './support';

/*
 * Health gates in the release drawer against the real backend and the upstream sandbox: the
 * storefront's staging environment gets an error-ratio gate, the sandbox's Prometheus is
 * steered healthy, and a deploy is watched through the gate's window: its query, its chart
 * filling with values, "evaluating", then "passed" and the release healthy. Every state is
 * checked with axe-core. The gate is removed afterwards, so other tests deploy ungated.
 */

const SANDBOX = 'http://localhost:7200';
const ENTITY = 'component:default/storefront';

function setGate(on: boolean) {
  const db = new Database(AUTONOMOUS_SQLITE_FILE);
  try {
    db.pragma('busy_timeout = 5000');
    const where = { entity: ENTITY, env: 'staging' };
    db.prepare(
      'DELETE FROM health_gates WHERE entity_ref = @entity AND environment = @env',
    ).run(where);
    if (!on) return;
    db.prepare(
      `INSERT INTO health_gates (entity_ref, environment, name, position, query, comparison,
         threshold, duration_ms, interval_ms, updated_at, updated_by)
       VALUES (@entity, @env, 'error-ratio', 0, @query, '<', 0.01, 20000, 2000, @now,
         'user:default/guest')`,
    ).run({
      ...where,
      now: Date.now(),
      query:
        'sum(rate(http_requests_total{namespace="{{namespace}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}"}[1m]))',
    });
  } finally {
    db.close();
  }
}

async function steer(body?: object) {
  const res = await fetch(`${SANDBOX}/_sandbox/prometheus/scenario`, {
    method: body ? 'POST' : 'DELETE',
    headers: { 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status).toBe(200);
}

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
  setGate(true);
  await steer({ mode: 'healthy' });
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
    setGate(false);
    await steer();
  }
});
