import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  driftedProjectStatus,
  mockAutonomousApi,
  projectStatus,
} from '../../__testUtils__/releases';
import { renderTab } from '../../__testUtils__/renderTab';
import { OverviewContent } from '../Overview';

describe('drift on the Autonomous tab', () => {
  it('shows the drifted environment’s banner with its diff on its card, and corrects it', async () => {
    const getProjectStatus = jest
      .fn()
      .mockResolvedValueOnce(driftedProjectStatus)
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
    await renderTab(api, { content: <OverviewContent /> });

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
