import { expect, Page, test } from '@playwright/test';
import { checkPageState } from './accessibility';
import { openComponent, signInAsGuest } from './support';

/*
 * The Autonomous tab of a project against the real backend and the upstream sandbox: the
 * guest (shop-team) adds a domain to the storefront's production and sees cert-manager's
 * certificate become ready, and turns auto-deploy off and on again. The payments worker is
 * not theirs: its settings say why they cannot be changed.
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
});
