import { ResponseError } from '@backstage/errors';
import {
  EnvironmentSettings,
  ProjectSettingsView,
  releaseSignalChannel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SignalApi } from '@backstage/plugin-signals-react';
import { mockAutonomousApi } from '../../__testUtils__/releases';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';
import { OverviewContent } from './OverviewContent';

const production: EnvironmentSettings = {
  environment: 'production',
  branch: 'main',
  autoDeploy: true,
  argocdApplication: 'shop',
  domains: [
    {
      host: 'shop.example.com',
      tls: 'ready',
      tlsMessage: 'issued',
      dns: 'elsewhere',
      dnsMessage:
        'shop.example.com points at 198.51.100.1, not at the ingress: point it at 203.0.113.7',
      inIngress: true,
    },
  ],
  variables: [
    { name: 'LOG_LEVEL', secret: false, value: 'debug' },
    { name: 'STRIPE_KEY', secret: true },
  ],
  secretsVaultPath: 'autonomous/environments/component/default/shop/production',
};

const view: ProjectSettingsView = {
  entityRef: 'component:default/shop',
  environments: [production],
  events: [],
};

function apiWith(overrides: Parameters<typeof mockAutonomousApi>[0] = {}) {
  return mockAutonomousApi({
    getProjectSettings: jest.fn().mockResolvedValue(view),
    getProjectWebhook: jest.fn().mockResolvedValue({
      provider: 'github',
      repository: 'acme/shop',
      url: 'https://portal.example.com/api/autonomous/webhooks/github',
      contentType: 'application/json',
      events: ['push'],
      secretConfigured: true,
      vaultPath: 'autonomous/webhooks/github/acme/shop',
      environments: [],
    }),
    listWebhookDeliveries: jest.fn().mockResolvedValue({ items: [] }),
    ...overrides,
  } as any);
}

function render(
  api: ReturnType<typeof mockAutonomousApi>,
  denied: string[] = [],
  signals?: SignalApi,
) {
  return renderTab(api, { denied, signals, content: <OverviewContent /> });
}

describe('OverviewContent', () => {
  it('lists a webhook delivery that arrives while the tab is open, without a reload', async () => {
    const signals = fakeSignals();
    const listWebhookDeliveries = jest
      .fn()
      .mockResolvedValueOnce({ items: [] })
      .mockResolvedValue({
        items: [
          {
            deliveryId: 'd-1',
            provider: 'github',
            event: 'push',
            receivedAt: '2026-12-06T10:00:00.000Z',
            ref: 'refs/heads/main',
            commitSha: 'a1b2c3d4e5f6a7b8c9d0',
            commitSubject: 'Checkout button says what it costs',
            outcome: 'ignored',
            detail: 'the head commit says [skip ci]',
            releaseIds: [],
          },
        ],
      });
    await render(apiWith({ listWebhookDeliveries }), [], signals.api);
    await screen.findByText(
      'https://portal.example.com/api/autonomous/webhooks/github',
    );
    await waitFor(() => expect(listWebhookDeliveries).toHaveBeenCalledTimes(1));
    expect(screen.queryByText(/Checkout button says what it costs/)).toBeNull();

    // The backend signals the project's readers when it settles a delivery, released or not.
    act(() => signals.emit(releaseSignalChannel('component:default/shop'), {}));

    const row = (
      await screen.findByText('a1b2c3d Checkout button says what it costs')
    ).closest('tr') as HTMLElement;
    expect(within(row).getByText('ignored')).toBeInTheDocument();
    expect(
      within(row).getByText('the head commit says [skip ci]'),
    ).toBeInTheDocument();
  });

  it('shows domains with their TLS and DNS state, secret variables by name only, and the webhook URL', async () => {
    await render(apiWith());
    const domains = await screen.findByRole('region', {
      name: 'Domains of production',
    });
    expect(
      within(domains).getByText('TLS certificate ready'),
    ).toBeInTheDocument();
    expect(
      within(domains).getByText(/point it at 203\.0\.113\.7/),
    ).toBeInTheDocument();
    const variables = screen.getByRole('form', {
      name: 'Environment variables of production',
    });
    expect(
      within(variables).getByDisplayValue('STRIPE_KEY'),
    ).toBeInTheDocument();
    expect(
      within(variables).getByLabelText(
        'New secret value (empty keeps Vault’s)',
      ),
    ).toHaveValue('');
    expect(
      await screen.findByText(
        'https://portal.example.com/api/autonomous/webhooks/github',
      ),
    ).toBeInTheDocument();
  });

  it('checks domains before sending them, and shows the backend’s refusal', async () => {
    const setDomains = jest.fn().mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message:
                'shop.example.com is already a domain of staging: remove it there first',
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ) as any,
      ),
    );
    await render(apiWith({ setDomains }));
    const form = await screen.findByRole('form', {
      name: 'Domains of production',
    });
    const field = within(form).getByRole('textbox');
    await userEvent.clear(field);
    await userEvent.type(field, '*.example.com');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save domains' }),
    );
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'wildcard',
    );
    expect(setDomains).not.toHaveBeenCalled();

    await userEvent.clear(field);
    await userEvent.type(field, 'shop.example.com');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save domains' }),
    );
    await waitFor(() =>
      expect(setDomains).toHaveBeenCalledWith(
        'component:default/shop',
        'production',
        { domains: ['shop.example.com'] },
      ),
    );
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'already a domain of staging',
    );
  });

  it('disables the settings with the reason for someone who may not change them', async () => {
    await render(apiWith(), ['autonomous.project.settings']);
    const form = await screen.findByRole('form', {
      name: 'Domains of production',
    });
    const save = within(form).getByRole('button', { name: 'Save domains' });
    await waitFor(() => expect(save).toHaveAttribute('aria-disabled', 'true'));
    expect(save).toHaveAccessibleDescription(/Changing settings needs/);
  });
});
