import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aResponseError,
  driftedProjectStatus,
  mockAutonomousApi,
  projectStatus,
} from '../../__testUtils__/releases';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';

describe('the drift banner', () => {
  it('shows what differs from Git and corrects it with a sync, reading until it is gone', async () => {
    const getProjectStatus = jest
      .fn()
      .mockResolvedValueOnce(driftedProjectStatus)
      .mockResolvedValueOnce(driftedProjectStatus)
      .mockResolvedValue(projectStatus);
    const api = mockAutonomousApi({ getProjectStatus });
    await renderTab(api, { signals: fakeSignals().api });

    const banner = within(
      await screen.findByRole('region', { name: 'Drift in production' }),
    );
    expect(
      banner.getByText(/shop is OutOfSync with no release in flight/),
    ).toBeInTheDocument();
    expect(
      banner.getByRole('list', { name: 'Differences of Deployment shop' }),
    ).toHaveTextContent('spec.replicas: live 3, Git 2and 2 more');
    expect(
      banner.getByRole('list', { name: 'Differences of Ingress shop' }),
    ).toHaveTextContent('missing from the cluster');
    expect(
      screen.queryByRole('region', { name: 'Drift in staging' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      banner.getByRole('button', { name: 'Correct drift (production)' }),
    );
    expect(api.syncEnvironment).toHaveBeenCalledWith(
      'component:default/shop',
      'production',
    );
    await waitFor(
      () =>
        expect(
          screen.queryByRole('region', { name: 'Drift in production' }),
        ).not.toBeInTheDocument(),
      { timeout: 8_000 },
    );
  });

  it('reconciles by force and shows what went wrong', async () => {
    const api = mockAutonomousApi({
      getProjectStatus: jest.fn().mockResolvedValue(driftedProjectStatus),
      reconcileEnvironment: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(502, 'Argo CD did not answer; try again'),
        ),
    });
    await renderTab(api);
    const banner = within(
      await screen.findByRole('region', { name: 'Drift in production' }),
    );
    await userEvent.click(
      await banner.findByRole('button', {
        name: 'Force reconcile (production)',
      }),
    );
    expect(await banner.findByRole('alert')).toHaveTextContent(
      'Argo CD did not answer; try again',
    );
    expect(api.reconcileEnvironment).toHaveBeenCalledWith(
      'component:default/shop',
      'production',
    );
  });

  it('says why correcting is not allowed without the sync permission', async () => {
    const api = mockAutonomousApi({
      getProjectStatus: jest.fn().mockResolvedValue(driftedProjectStatus),
    });
    await renderTab(api, { denied: ['autonomous.release.sync'] });
    const banner = within(
      await screen.findByRole('region', { name: 'Drift in production' }),
    );
    const correct = banner.getByRole('button', {
      name: 'Correct drift (production)',
    });
    await waitFor(() =>
      expect(correct).toHaveAttribute('aria-disabled', 'true'),
    );
    expect(correct).toHaveAccessibleDescription(
      'Syncing an environment needs membership of team-a, who own this project. Ask them or a portal admin for access.',
    );
    await userEvent.click(correct);
    expect(api.syncEnvironment).not.toHaveBeenCalled();
  });
});
