import { SWRConfig } from 'swr';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { ProjectStatus } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { autonomousApiRef } from '../../api';
import {
  mockAutonomousApi,
  projectEntity,
  projectStatus,
} from '../../__testUtils__/releases';
import { OverviewContent } from '../Overview';

const [staging, production] = projectStatus.environments;

const drifted: ProjectStatus = {
  ...projectStatus,
  environments: [
    staging,
    {
      ...production,
      sync: { status: 'OutOfSync', automated: false },
      drift: {
        environment: 'production',
        argocdApplication: 'shop',
        drifted: true,
        since: '2026-12-06T05:00:00.000Z',
        resources: [
          {
            group: 'apps',
            kind: 'Deployment',
            name: 'shop',
            changes: [{ path: 'spec.replicas', live: '3', desired: '2' }],
          },
        ],
      },
    },
  ],
};

function render(api: ReturnType<typeof mockAutonomousApi>) {
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [autonomousApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={projectEntity}>
          <OverviewContent />
        </EntityProvider>
      </TestApiProvider>
    </SWRConfig>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('drift on the Autonomous tab', () => {
  it('shows the drifted environment’s banner with its diff on its card, and corrects it', async () => {
    const getProjectStatus = jest
      .fn()
      .mockResolvedValueOnce(drifted)
      .mockResolvedValue(projectStatus);
    const api = mockAutonomousApi({
      getProjectStatus,
      getProjectSettings: jest.fn().mockResolvedValue({
        entityRef: 'component:default/shop',
        environments: [],
        events: [],
      }),
      getProjectWebhook: jest.fn().mockRejectedValue(new Error('no webhook')),
      listWebhookDeliveries: jest.fn().mockResolvedValue({ items: [] }),
    } as any);
    await render(api);

    const card = within(
      await screen.findByRole('region', { name: 'Environment production' }),
    );
    const banner = within(
      await card.findByRole('region', { name: 'Drift in production' }),
    );
    expect(
      banner.getByText(/shop is OutOfSync with no release in flight/),
    ).toBeInTheDocument();
    expect(
      banner.getByRole('list', { name: 'Differences of Deployment shop' }),
    ).toHaveTextContent('spec.replicas: live 3, Git 2');
    expect(
      within(
        screen.getByRole('region', { name: 'Environment staging' }),
      ).queryByRole('region', { name: /Drift/ }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      banner.getByRole('button', { name: 'Correct drift (production)' }),
    );
    expect(api.syncEnvironment).toHaveBeenCalledWith(
      'component:default/shop',
      'production',
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'Drift in production' }),
      ).not.toBeInTheDocument(),
    );
  });
});
