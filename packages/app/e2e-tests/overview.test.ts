import { expect, Page, test } from '@playwright/test';
import { checkPageState } from './accessibility';
import { openComponent, signInAsGuest } from './support';

/*
 * The Autonomous tab of a project against the real backend and the upstream sandbox: the
 * guest (shop-team) adds a domain to the storefront's production and sees cert-manager's
 * certificate become ready, and turns auto-deploy off and on again. The payments worker is
 * not theirs: its settings say why they cannot be changed. A health gate whose PromQL does not
 * parse is refused with Prometheus's own error under its query and nothing saved; a valid one
 * is saved and still there after a reload, then removed so other tests deploy ungated.
 */

const NEW_DOMAIN = 'checkout.shop.example.com';

async function openAutonomousTab(page: Page, component: string) {
  await openComponent(page, component);
  await page.locator(`a[href$="/${component}/autonomous"]`).click();
  await expect(
    page.getByRole('region', { name: 'Environment production' }),
  ).toBeVisible();
  await expect(
    page.getByRole('form', { name: 'Domains of production' }),
  ).toBeVisible();
}

test('adds a domain whose certificate becomes ready, and turns auto-deploy off and on', async ({
  page,
}, testInfo) => {
  test.setTimeout(4 * 60_000);
  await signInAsGuest(page);
  await openAutonomousTab(page, 'storefront');
  await checkPageState(page, testInfo, 'Autonomous tab of the storefront');

  const domainsForm = page.getByRole('form', { name: 'Domains of production' });
  const field = domainsForm.getByRole('textbox', {
    name: 'Custom domains, one per line',
  });
  const original = await field.inputValue();

  // Checked before anything is sent.
  await field.fill(`${original}\n*.example.com`);
  await domainsForm.getByRole('button', { name: 'Save domains' }).click();
  await expect(domainsForm.getByRole('alert')).toContainText('wildcard');

  try {
    await field.fill(`${original}\n${NEW_DOMAIN}`);
    await domainsForm.getByRole('button', { name: 'Save domains' }).click();
    await expect(domainsForm.getByRole('status')).toContainText(
      `added ${NEW_DOMAIN}`,
    );
    const domains = page.getByRole('region', { name: 'Domains of production' });
    const added = domains.locator(`[data-domain="${NEW_DOMAIN}"]`);
    await expect(added).toBeVisible();
    // ArgoCD syncs the Ingress with host and TLS; cert-manager then issues the certificate.
    await expect(added).toContainText('TLS certificate ready', {
      timeout: 90_000,
    });
    // shop.example.com's DNS does not point at the sandbox's ingress.
    await expect(added).toContainText(/DNS (not set up yet|points elsewhere)/);
    await checkPageState(page, testInfo, 'certificate ready');

    const autoDeploy = page.getByRole('form', {
      name: 'Auto-deploy of production',
    });
    const toggle = autoDeploy.getByRole('checkbox', {
      name: 'Auto-deploy pushes to production',
    });
    await expect(toggle).toBeChecked();
    await toggle.click();
    await autoDeploy.getByRole('button', { name: 'Save' }).click();
    await expect(autoDeploy.getByRole('status')).toContainText(
      'Auto-deploy of production off',
    );
    await toggle.click();
    await autoDeploy.getByRole('button', { name: 'Save' }).click();
    await expect(autoDeploy.getByRole('status')).toContainText(
      'Auto-deploy of production on',
    );
    await expect(
      page
        .getByRole('listitem')
        .filter({ hasText: 'Auto-deploy of production on' }),
    ).toBeVisible();
  } finally {
    // Leave the storefront's domains as the other tests expect them.
    await field.fill(original);
    await domainsForm.getByRole('button', { name: 'Save domains' }).click();
    await expect(domainsForm.getByRole('status')).toContainText(
      `removed ${NEW_DOMAIN}`,
    );
  }
});

const GATE_QUERY =
  'sum(rate(http_requests_total{namespace="{{namespace}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}"}[1m]))';

test("adds a health gate to production: Prometheus's parse error is shown under the query and nothing saved, a valid gate is saved and kept", async ({
  page,
}, testInfo) => {
  test.setTimeout(3 * 60_000);
  await signInAsGuest(page);
  await openAutonomousTab(page, 'storefront');
  const gatesForm = () =>
    page.getByRole('form', { name: 'Health gates of production' });
  const save = () =>
    gatesForm().getByRole('button', { name: 'Save health gates' });
  await expect(save()).toBeVisible();
  const before = await gatesForm().getByRole('group').count();

  await gatesForm().getByRole('button', { name: 'Add gate' }).click();
  const added = gatesForm().getByRole('group', {
    name: `New gate ${before + 1}`,
  });
  await added.getByLabel('Name').fill('error-ratio-ui');
  const gate = gatesForm().getByRole('group', { name: 'Gate error-ratio-ui' });
  const query = gate.getByLabel('PromQL query');
  // The closing parenthesis of the first sum is missing.
  await query.fill(GATE_QUERY.replace('[1m]))', '[1m])'));
  await gate.getByLabel('Threshold').fill('0.01');
  await gate.getByLabel('Holds for').fill('20s');
  await gate.getByLabel('Evaluated every').fill('2s');
  await save().click();
  const refusal = gate.getByRole('alert');
  await expect(refusal).toContainText(
    'gates.error-ratio-ui.query does not run on Prometheus',
  );
  await expect(refusal).toContainText('parse error');
  await expect(query).toHaveAttribute('aria-invalid', 'true');
  await gate.scrollIntoViewIfNeeded();
  await checkPageState(page, testInfo, 'health gate refused by Prometheus');

  // Nothing was saved: after a reload the gate is not there.
  await page.reload();
  await expect(save()).toBeVisible();
  await expect(gatesForm().getByRole('group')).toHaveCount(before);

  try {
    await gatesForm().getByRole('button', { name: 'Add gate' }).click();
    await gatesForm()
      .getByRole('group', { name: `New gate ${before + 1}` })
      .getByLabel('Name')
      .fill('error-ratio-ui');
    await gate.getByLabel('PromQL query').fill(GATE_QUERY);
    await gate.getByLabel('Passes when').selectOption('<');
    await gate.getByLabel('Threshold').fill('0.01');
    await gate.getByLabel('Holds for').fill('20s');
    await gate.getByLabel('Evaluated every').fill('2s');
    await save().click();
    await expect(gatesForm().getByRole('status')).toContainText(
      `Saved ${before + 1} health gate`,
      { timeout: 30_000 },
    );

    await page.reload();
    await expect(save()).toBeVisible();
    await expect(gate.getByLabel('PromQL query')).toHaveValue(GATE_QUERY);
    await expect(gate.getByLabel('Threshold')).toHaveValue('0.01');
    await expect(gate.getByLabel('Holds for')).toHaveValue('20s');
    await expect(gate.getByLabel('Evaluated every')).toHaveValue('2s');
    await gate.scrollIntoViewIfNeeded();
    await checkPageState(page, testInfo, 'health gate saved');
  } finally {
    // Other tests deploy the storefront's production without this gate.
    const remove = gate.getByRole('button', {
      name: 'Remove gate error-ratio-ui',
    });
    if (await remove.count()) {
      await remove.click();
      await save().click();
      await expect(gatesForm().getByRole('status')).toContainText(
        `Saved ${before} health gate`,
        { timeout: 30_000 },
      );
    }
  }
});

test("tells a user why they cannot change another team's settings", async ({
  page,
}) => {
  await signInAsGuest(page);
  await openAutonomousTab(page, 'payments-worker');
  const save = page
    .getByRole('form', { name: 'Domains of production' })
    .getByRole('button', { name: 'Save domains' });
  await expect(save).toHaveAttribute('aria-disabled', 'true');
  await expect(save).toHaveAccessibleDescription(
    /Changing settings needs membership of Payments Team, who own this project/,
  );
  const saveGates = page
    .getByRole('form', { name: 'Health gates of production' })
    .getByRole('button', { name: 'Save health gates' });
  await expect(saveGates).toHaveAttribute('aria-disabled', 'true');
  await expect(saveGates).toHaveAccessibleDescription(
    /Changing settings needs membership of Payments Team, who own this project/,
  );
});
