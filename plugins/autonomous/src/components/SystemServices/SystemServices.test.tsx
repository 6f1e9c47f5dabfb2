import { SWRConfig } from 'swr';
import { Entity } from '@backstage/catalog-model';
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
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  ProjectServices,
  Release,
  ServiceOverview,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { autonomousApiRef } from '../../api';
import { mockAutonomousApi } from '../../__testUtils__/releases';
import { SystemServices } from './SystemServices';

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'autonomous.dev/project': 'microservice' },
  },
  spec: { owner: 'group:default/payments-team' },
};

const release = (service: string, number: number): Release =>
  ({
    id: `rel-${service}-${number}`,
    number,
    entityRef: `component:default/${service}`,
    environment: 'production',
    version: `main-${number}`,
    status: 'healthy',
    trigger: 'manual',
    requestedBy: 'user:default/jane',
    createdAt: '2026-12-08T09:00:00Z',
  } as Release);

const service = (name: string, ready: boolean): ServiceOverview => ({
  entityRef: `component:default/${name}`,
  name,
  sourcePath: `services/${name}`,
  environments: [
    {
      environment: 'staging',
      ready: false,
      readiness: 'Not ready (Missing, OutOfSync) · No release yet',
      health: 'Missing',
      sync: 'OutOfSync',
      domains: [],
    },
    {
      environment: 'production',
      ready,
      readiness: ready
        ? 'Ready · Release #3 (main-3) is live · 2/2 ready'
        : 'Not ready (Degraded) · Release #2 (main-2) is degraded',
      health: ready ? 'Healthy' : 'Degraded',
      sync: 'Synced',
      currentRelease: ready ? release(name, 3) : undefined,
      domains: name === 'payments-api' ? ['pay.example.com'] : [],
    },
  ],
});

const overview: ProjectServices = {
  entityRef: 'system:default/payments',
  kind: 'microservice',
  services: [
    service('payments-api', true),
    service('payments-ledger', false),
    service('payments-worker', true),
  ],
  releaseGroups: [],
};

async function renderServices(denied: string[] = []) {
  const api = mockAutonomousApi({
    listProjectServices: jest.fn().mockResolvedValue(overview),
    deployServices: jest.fn().mockImplementation(async (_ref, request) => ({
      id: 'group-1',
      entityRef: 'system:default/payments',
      environment: request.environment,
      requestedBy: 'user:default/jane',
      createdAt: '2026-12-08T09:00:00Z',
      releases: request.services.map((s: string, i: number) =>
        release(s, 10 + i),
      ),
    })),
    deleteProject: jest.fn().mockResolvedValue({
      entityRef: 'system:default/payments',
      deletedBy: 'user:default/jane',
      deletedAt: '2026-12-08T09:00:00Z',
      applications: [],
      services: [],
    }),
  });
  const permissionApi = mockApis.permission({
    authorize: (request: EvaluatePermissionRequest) =>
      denied.includes(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  await renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [autonomousApiRef, api],
          [permissionApiRef, permissionApi],
        ]}
      >
        <EntityProvider entity={system}>
          <SystemServices />
        </EntityProvider>
      </TestApiProvider>
    </SWRConfig>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('SystemServices', () => {
  it('lists each service with readiness, current release and domain per environment', async () => {
    await renderServices();
    const table = await screen.findByRole('table', { name: 'Services' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText('production: ready')).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('production: #3 (main-3)'),
    ).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('pay.example.com (production)'),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByText(
        'Not ready (Degraded) · Release #2 (main-2) is degraded',
      ),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('production: none')).toBeInTheDocument();
  });

  it('deploys one service, then two together', async () => {
    const api = await renderServices();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deploy payments-api' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Deploy payments-api',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );
    await waitFor(() =>
      expect(api.deployServices).toHaveBeenCalledWith(
        'system:default/payments',
        {
          environment: 'staging',
          services: ['payments-api'],
          reason: undefined,
        },
      ),
    );
    expect(
      await screen.findByText('Deploying #10 to staging.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select payments-api' }),
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select payments-worker' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Deploy selected (2)' }),
    );
    const together = await screen.findByRole('dialog', {
      name: 'Deploy 2 services',
    });
    await userEvent.click(
      within(together).getByRole('button', { name: 'Deploy' }),
    );
    await waitFor(() =>
      expect(api.deployServices).toHaveBeenLastCalledWith(
        'system:default/payments',
        expect.objectContaining({
          services: ['payments-api', 'payments-worker'],
        }),
      ),
    );
  });

  it('deletes the project only once its name is typed', async () => {
    const api = await renderServices();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete project' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Delete payments?',
    });
    await userEvent.type(
      within(dialog).getByLabelText('Project name'),
      'payment',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete project' }),
    );
    expect(
      await within(dialog).findByText('Type payments to confirm.'),
    ).toBeInTheDocument();
    expect(api.deleteProject).not.toHaveBeenCalled();
    await userEvent.type(within(dialog).getByLabelText('Project name'), 's');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete project' }),
    );
    await waitFor(() =>
      expect(api.deleteProject).toHaveBeenCalledWith(
        'system:default/payments',
        {
          confirm: 'payments',
        },
      ),
    );
  });

  it('disables delete for a user without the permission, saying why', async () => {
    const api = await renderServices(['autonomous.project.delete']);
    const button = await screen.findByRole('button', {
      name: 'Delete project',
    });
    await waitFor(() =>
      expect(button).toHaveAttribute('aria-disabled', 'true'),
    );
    expect(button).toHaveAccessibleDescription(
      /You may not delete this project: it needs membership of payments-team/,
    );
    await userEvent.click(button);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.deleteProject).not.toHaveBeenCalled();
    expect(
      screen.getByRole('button', { name: 'Deploy payments-api' }),
    ).not.toHaveAttribute('aria-disabled');
  });
});
