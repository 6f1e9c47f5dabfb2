import { expect, Page, test } from '@playwright/test';
import { expectNoSeriousViolations } from './accessibility';
import { openComponent, signInAsGuest } from './support';

/*
 * An Argo Rollouts canary on the Releases tab against the real backend and the upstream
 * sandbox: the storefront's chart is switched to a canary (the Helm value rollout.strategy),
 * a new image pauses it at its pause step, and the environment's card shows the steps live
 * and promotes it. The storefront goes back to its Deployment afterwards.
 */

const ARGOCD = 'http://localhost:7200/argocd/api/v1/applications';
const AUTH = {
  Authorization: 'Bearer sandbox',
  'Content-Type': 'application/json',
};
const digest = (c: string) => `sha256:${c.repeat(64)}`;

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

/**
 * Sets Helm parameters of the storefront's production application (all of them with
 * `exactly`) and syncs it.
 */
async function deployWith(
  parameters: Record<string, string>,
  exactly?: Parameter[],
) {
  const app = await argo('/storefront');
  const current: Parameter[] = app.spec.source.helm?.parameters ?? [];
  const merged = exactly ?? [
    ...current.filter(p => !(p.name in parameters)),
    ...Object.entries(parameters).map(([name, value]) => ({ name, value })),
  ];
  app.spec.source.helm = {
    ...(app.spec.source.helm ?? {}),
    parameters: merged,
  };
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
      const res = await fetch(`${ARGOCD}/storefront/sync`, {
        method: 'POST',
        headers: AUTH,
        body: JSON.stringify({ name: 'storefront', prune: true }),
      });
      return res.status;
    })
    .toBe(200);
  await expect
    .poll(
      async () => {
        const now = await argo('/storefront');
        return (
          now.status?.operationState?.phase === 'Succeeded' &&
          now.status?.health?.status !== 'Progressing'
        );
      },
      { timeout: 60_000 },
    )
    .toBe(true);
}

async function openReleasesTab(page: Page) {
  await openComponent(page, 'storefront');
  await page.locator('a[href$="/autonomous-releases"]').click();
  await expect(
    page.getByRole('region', { name: 'Environment production' }),
  ).toBeVisible();
}

test('shows a paused canary step by step and promotes it', async ({
  page,
}, testInfo) => {
  test.setTimeout(4 * 60_000);
  const before = await argo('/storefront');
  const parametersBefore: Parameter[] =
    before.spec.source.helm?.parameters ?? [];
  try {
    await deployWith({
      'rollout.strategy': 'canary',
      'rollout.steps': '50,pause',
      'image.digest': digest('1'),
    });
    await deployWith({ 'image.digest': digest('2') });

    await signInAsGuest(page);
    await openReleasesTab(page);
    const rollout = page.getByRole('region', { name: 'Rollout in production' });
    await expect(rollout).toBeVisible();
    await expect(
      rollout.getByText('Canary rollout: Paused (CanaryPauseStep)'),
    ).toBeVisible();
    await expect(
      rollout.getByRole('list', { name: 'Steps of the rollout in production' }),
    ).toContainText('1. setWeight: 50 — done2. pause — current');
    await expect(rollout.getByText('Canary 50% · stable 50%')).toBeVisible();
    await expectNoSeriousViolations(page, testInfo, 'canary paused');

    await rollout
      .getByRole('button', { name: 'Promote rollout (production)' })
      .click();
    await expect(rollout.getByRole('status')).toContainText(
      'rollout storefront in',
    );
    await expect(rollout.getByText(/^Canary rollout: Healthy/)).toBeVisible({
      timeout: 30_000,
    });
    const promote = rollout.getByRole('button', {
      name: 'Promote rollout (production)',
    });
    await expect(promote).toHaveAttribute('aria-disabled', 'true');
    await expect(promote).toHaveAccessibleDescription(/is fully promoted/);
    await expectNoSeriousViolations(page, testInfo, 'canary promoted');
  } finally {
    // The chart renders its Deployment again, with the image it had.
    await deployWith({}, parametersBefore);
  }
});
