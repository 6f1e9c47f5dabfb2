import {
  DeliveryMetrics,
  MetricsReleasesPage,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { autonomousApiRef } from '../../api';
import { AutonomousPage } from './AutonomousPage';

const metrics: DeliveryMetrics = {
  scope: {
    owner: 'group:default/shop',
    projects: [
      { entityRef: 'component:default/storefront', environment: 'production' },
    ],
  },
  window: {
    days: 30,
    bucket: 'week',
    since: '2026-11-01T00:00:00.000Z',
    until: '2026-11-30T12:00:00.000Z',
  },
  bands: {
    year: 2023,
    title: 'DORA Accelerate State of DevOps Report 2023',
  },
  deploymentFrequency: {
    n: 2,
    N: 3,
    deployments: 2,
    deploymentDays: 2,
    deploymentDaysPerWeek: 0.467,
    band: 'medium',
  },
  leadTime: {
    n: 1,
    N: 2,
    medianMs: 2 * 3_600_000,
    p90Ms: 2 * 3_600_000,
    band: 'elite',
    withoutCommitTime: { count: 1 },
  },
  changeFailureRate: {
    n: 1,
    N: 3,
    rate: 0.333,
    band: 'low',
    byReason: {
      failed: 1,
      degraded: 0,
      'rolled-back': 0,
      'replaced-by-earlier-digest': 0,
    },
  },
  recoveryTime: {
    n: 0,
    N: 1,
    unrecovered: 1,
  },
  buckets: [],
};

/** The failed change behind the change failure rate, as GET /metrics/releases lists it. */
const failedPage: MetricsReleasesPage = {
  figure: 'changeFailureRate',
  items: [
    {
      id: 'r3',
      number: 3,
      entityRef: 'component:default/storefront',
      environment: 'production',
      version: '1.0.3',
      status: 'failed',
      createdAt: '2026-11-03T00:00:00.000Z',
      finishedAt: '2026-11-03T00:10:00.000Z',
      failure: { reason: 'failed', at: '2026-11-03T00:10:00.000Z' },
    },
  ],
};

function fakeApi() {
  return {
    listProjectListings: jest.fn(async () => ({
      items: [
        {
          entityRef: 'component:default/storefront',
          kind: 'monolith',
          owner: 'group:default/shop',
          environments: [
            {
              name: 'production',
              running: {
                id: 'r2',
                version: '1.0.2',
                status: 'healthy',
                updatedAt: '2026-11-02T00:00:00Z',
              },
            },
          ],
          lastRelease: {
            id: 'r3',
            environment: 'production',
            version: '1.0.3',
            status: 'failed',
            updatedAt: '2026-11-03T00:00:00Z',
          },
        },
        {
          entityRef: 'component:default/payments',
          kind: 'microservice',
          owner: 'group:default/payments',
          environments: [{ name: 'staging' }],
        },
      ],
    })),
    listDatabaseListings: jest.fn(async () => ({
      items: [
        {
          id: 'db-1',
          entityRef: 'resource:default/shop-db',
          name: 'shop',
          engine: 'postgresql',
          version: '16',
          environment: 'production',
          status: 'ready',
          owner: 'group:default/shop',
          createdAt: '2026-11-01T00:00:00Z',
          updatedAt: '2026-11-01T00:00:00Z',
        },
      ],
    })),
    getDeliveryMetrics: jest.fn(async () => metrics),
    listMetricsReleases: jest.fn(async () => failedPage),
  };
}

async function renderPage(api = fakeApi(), ownershipEntityRefs?: string[]) {
  const identity = mockApis.identity({
    userEntityRef: 'user:default/jane',
    ownershipEntityRefs: ownershipEntityRefs ?? ['user:default/jane'],
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [autonomousApiRef, api as any],
        [identityApiRef, identity],
      ]}
    >
      <AutonomousPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('AutonomousPage', () => {
  it('lists projects and databases with what runs where and their status', async () => {
    await renderPage();
    expect(await screen.findByText('storefront')).toBeInTheDocument();
    expect(screen.getByText('payments')).toBeInTheDocument();
    expect(screen.getByText('shop')).toBeInTheDocument();
    expect(screen.getByText('production: 1.0.2')).toBeInTheDocument();
    expect(screen.getByText('staging: nothing yet')).toBeInTheDocument();
    expect(screen.getByText('production: postgresql 16')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'failed' })).toHaveAttribute(
      'href',
      '/catalog/default/component/storefront/autonomous-releases?release=r3',
    );
    expect(
      screen.getByText("Choose an owner to see the team's delivery metrics."),
    ).toBeInTheDocument();
  });

  it("filters by owner and shows that team's metrics with the releases behind each figure", async () => {
    const api = await renderPage();
    await screen.findByText('storefront');
    fireEvent.change(screen.getByLabelText('Owner'), {
      target: { value: 'group:default/shop' },
    });
    expect(screen.queryByText('payments')).not.toBeInTheDocument();
    expect(screen.getByText('2 of 3')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getDeliveryMetrics).toHaveBeenCalledWith({
        owner: 'group:default/shop',
        environment: undefined,
        window: 30,
        bucket: 'week',
      }),
    );
    const cfr = await screen.findByRole('region', {
      name: 'Change failure rate',
    });
    expect(within(cfr).getByText('33.3 %')).toBeInTheDocument();
    expect(within(cfr).getByText('1 of 3 changes failed')).toBeInTheDocument();
    expect(within(cfr).getByText('Low (DORA 2023)')).toBeInTheDocument();
    // The releases are read when the drill-down opens, not with the figures.
    expect(api.listMetricsReleases).not.toHaveBeenCalled();
    fireEvent.click(
      within(cfr).getByRole('button', { name: /Show the 1 release behind it/ }),
    );
    expect(api.listMetricsReleases).toHaveBeenCalledWith({
      owner: 'group:default/shop',
      environment: undefined,
      window: 30,
      bucket: 'week',
      figure: 'changeFailureRate',
      cursor: undefined,
    });
    expect(
      await within(cfr).findByRole('link', { name: 'storefront #3 1.0.3' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/storefront/autonomous-releases?release=r3',
    );
    expect(
      within(cfr).getByText(/production, failed; failed, not recovered yet/),
    ).toBeInTheDocument();
    const lead = screen.getByRole('region', { name: 'Lead time for changes' });
    expect(
      within(lead).getByText('1 without a commit time, not counted'),
    ).toBeInTheDocument();
    const recovery = screen.getByRole('region', {
      name: 'Failed deployment recovery time',
    });
    expect(
      within(recovery).getByText('1 not recovered yet'),
    ).toBeInTheDocument();
  });

  it('reads the next page of releases behind a figure when asked for more', async () => {
    const api = fakeApi();
    const [failed] = failedPage.items;
    api.listMetricsReleases
      .mockResolvedValueOnce({ ...failedPage, nextCursor: 'page-2' })
      .mockResolvedValueOnce({
        ...failedPage,
        items: [
          {
            ...failed,
            id: 'r1',
            number: 1,
            version: '1.0.1',
            failure: {
              reason: 'replaced-by-earlier-digest',
              at: '2026-11-01T01:00:00.000Z',
              replacedBy: { id: 'r2', number: 2 },
              recoveredAt: '2026-11-01T02:00:00.000Z',
              recoveryMs: 3_600_000,
            },
          },
        ],
      });
    await renderPage(api);
    await screen.findByText('storefront');
    fireEvent.change(screen.getByLabelText('Owner'), {
      target: { value: 'group:default/shop' },
    });
    const cfr = await screen.findByRole('region', {
      name: 'Change failure rate',
    });
    fireEvent.click(
      within(cfr).getByRole('button', { name: /Show the 1 release behind it/ }),
    );
    await within(cfr).findByRole('link', { name: 'storefront #3 1.0.3' });
    fireEvent.click(within(cfr).getByRole('button', { name: /Show more/ }));
    expect(
      await within(cfr).findByRole('link', { name: 'storefront #1 1.0.1' }),
    ).toBeInTheDocument();
    expect(api.listMetricsReleases).toHaveBeenLastCalledWith(
      expect.objectContaining({
        figure: 'changeFailureRate',
        cursor: 'page-2',
      }),
    );
    // Both pages stay listed, the second with why it failed and how long recovery took.
    expect(
      within(cfr).getByRole('link', { name: 'storefront #3 1.0.3' }),
    ).toBeInTheDocument();
    expect(
      within(cfr).getByText(
        /replaced by an earlier digest, replaced by #2, recovered in/,
      ),
    ).toBeInTheDocument();
    expect(
      within(cfr).queryByRole('button', { name: /Show more/ }),
    ).not.toBeInTheDocument();
  });

  it("shows the user's own team's metrics before any owner is chosen, and the list unfiltered", async () => {
    const api = await renderPage(fakeApi(), [
      'user:default/jane',
      'group:default/shop',
    ]);
    expect(
      await screen.findByText(
        'Delivery metrics of group:default/shop (your team)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('payments')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getDeliveryMetrics).toHaveBeenCalledWith({
        owner: 'group:default/shop',
        environment: undefined,
        window: 30,
        bucket: 'week',
      }),
    );
    expect(
      screen.queryByText("Choose an owner to see the team's delivery metrics."),
    ).not.toBeInTheDocument();
  });

  it('filters by kind, status and environment', async () => {
    await renderPage();
    await screen.findByText('storefront');
    fireEvent.change(screen.getByLabelText('Kind'), {
      target: { value: 'database' },
    });
    expect(screen.queryByText('storefront')).not.toBeInTheDocument();
    expect(screen.getByText('shop')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Environment'), {
      target: { value: 'staging' },
    });
    expect(screen.getByText('payments')).toBeInTheDocument();
    expect(screen.queryByText('storefront')).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Environment'), {
      target: { value: '' },
    });
    fireEvent.change(screen.getByLabelText('Status'), {
      target: { value: 'ready' },
    });
    expect(screen.getByText('1 of 3')).toBeInTheDocument();
  });
});
