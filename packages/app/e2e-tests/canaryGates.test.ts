import { expect, Page, test } from '@playwright/test';
import { checkPageState } from './accessibility';
import { setStagingGate, steerPrometheus } from './stagingGate';
import { openComponent, signInAsGuest } from './support';

/*
 * Health gates at a canary's pause, in the release drawer, against the real backend and the
 * upstream sandbox: the storefront's staging chart renders an Argo Rollouts canary (50 %, then
 * a pause), staging gets an error-ratio gate and Prometheus is steered healthy. A deploy pauses
 * at the 50 % step, where the gate is judged and the release promotes the canary; the drawer
 * shows that pause as its own section, "Step 2 of 2 · 50 % canary", with the gate's chart and
 * verdict, then the window after the rollout. Each state is checked with axe-core. Staging gets
 * its Deployment back and loses its gate afterwards.
 */

const SANDBOX = 'http://localhost:7200';
const ARGOCD = `${SANDBOX}/argocd/api/v1/applications`;
const APP = 'storefront-staging';
const AUTH = {
  Authorization: 'Bearer sandbox',
  'Content-Type': 'application/json',
};
const PAUSE = 'Step 2 of 2 · 50 % canary';

async function argo(path: string, method = 'GET', body?: unknown) {
  const res = await fetch(`${ARGOCD}${path}`, {
    method,
    headers: AUTH,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return res.json();
}

type Parameter = { name: string; value: string };

/** Sets the staging application's Helm parameters (all of them) and syncs it. */
async function deployWith(parameters: Parameter[]) {
  const app = await argo(`/${APP}`);
  app.spec.source.helm = { ...(app.spec.source.helm ?? {}), parameters };
  await argo('?upsert=true', 'POST', {
    metadata: {
      name: app.metadata.name,
      namespace: app.metadata.namespace,
      labels: app.metadata.labels,
    },
    spec: app.spec,
  });
  await expect
    .poll(async () => {
      const res = await fetch(`${ARGOCD}/${APP}/sync`, {
        method: 'POST',
        headers: AUTH,
        body: JSON.stringify({ name: APP, prune: true }),
      });
      return res.status;
    })
    .toBe(200);
  await expect
    .poll(
      async () => {
        const now = await argo(`/${APP}`);
        return (
          now.status?.operationState?.phase === 'Succeeded' &&
          now.status?.health?.status !== 'Progressing'
        );
      },
      { timeout: 60_000 },
    )
    .toBe(true);
}

async function deployToStaging(page: Page) {
  await page
    .getByRole('region', { name: 'Environment staging' })
    .getByRole('button', { name: 'Deploy to staging' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Deploy' });
  await dialog.getByLabel('Branch, tag or commit').fill('main');
  await dialog.getByLabel('Reason').fill('health gates at a canary pause');
  await dialog.getByLabel('Reason').press('Enter');
  await expect(dialog).toHaveCount(0);
}

test('charts the health gate judged at a canary pause in its own section of the drawer, accessible', async ({
  page,
}, testInfo) => {
  test.setTimeout(6 * 60_000);
  const before: Parameter[] =
    (await argo(`/${APP}`)).spec.source.helm?.parameters ?? [];
  try {
    await deployWith([
      ...before.filter(
        p => !['rollout.strategy', 'rollout.steps'].includes(p.name),
      ),
      { name: 'rollout.strategy', value: 'canary' },
      { name: 'rollout.steps', value: '50,pause' },
    ]);
    setStagingGate(true, 8_000);
    await steerPrometheus({ mode: 'healthy' });

    await signInAsGuest(page);
    await openComponent(page, 'storefront');
    await page.locator('a[href$="/autonomous-releases"]').click();
    await expect(
      page.getByRole('region', { name: 'Environment staging' }),
    ).toBeVisible();
    await deployToStaging(page);

    const gates = page
      .getByRole('dialog', { name: /^Release / })
      .getByRole('region', { name: 'Health gates' });
    const pause = gates.getByRole('region', { name: PAUSE, exact: true });
    await expect(pause).toBeVisible({ timeout: 180_000 });
    const gate = pause.getByRole('region', {
      name: `Gate error-ratio at ${PAUSE}`,
    });
    await expect(gate.getByLabel('Query of error-ratio')).toContainText(
      'namespace="storefront-staging"',
    );
    await expect(
      gate.getByRole('figure', {
        name: `Values of error-ratio at ${PAUSE} over its window`,
      }),
    ).toBeVisible({ timeout: 30_000 });
    await gate.scrollIntoViewIfNeeded();
    await checkPageState(page, testInfo, 'gate at a canary pause', {
      failOn: 'moderate',
    });

    await expect(gate.getByText('passed', { exact: true })).toBeVisible({
      timeout: 60_000,
    });
    await expect(pause.getByText('promoted', { exact: true })).toBeVisible({
      timeout: 30_000,
    });
    const after = gates.getByRole('region', {
      name: 'After the rollout',
      exact: true,
    });
    await expect(
      after
        .getByRole('region', { name: 'Gate error-ratio at after the rollout' })
        .getByText('passed', { exact: true }),
    ).toBeVisible({ timeout: 90_000 });
    await pause.scrollIntoViewIfNeeded();
    await checkPageState(page, testInfo, 'canary pause and rollout passed', {
      failOn: 'moderate',
    });
  } finally {
    setStagingGate(false);
    await steerPrometheus();
    await deployWith(before);
  }
});
