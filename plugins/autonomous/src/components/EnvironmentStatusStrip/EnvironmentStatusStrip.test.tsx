import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aRelease,
  aResponseError,
  mockAutonomousApi,
  projectStatus,
} from '../../__testUtils__/releases';
import { renderTab } from '../../__testUtils__/renderTab';

async function environment(name: string) {
  return within(
    await screen.findByRole('region', { name: `Environment ${name}` }),
  );
}

async function enabled(scope: ReturnType<typeof within>, name: string) {
  const button = scope.getByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  return button;
}

describe('the environment status strip', () => {
  it('shows per environment its summary, running release, digest, readiness, sync and health', async () => {
    const failed = aRelease({
      id: 'rel-3',
      version: 'v1.0.1',
      status: 'failed',
    });
    await renderTab(
      mockAutonomousApi({
        getProjectStatus: jest.fn().mockResolvedValue({
          ...projectStatus,
          environments: [
            projectStatus.environments[0],
            {
              ...projectStatus.environments[1],
              summary:
                'Release v1.0.1 failed; v1.0.0 is still serving (1/2 ready)',
              lastRelease: failed,
              sync: { status: 'OutOfSync', automated: false },
              health: { status: 'Progressing' },
              running: {
                ...projectStatus.environments[1].running!,
                digest: 'sha256:0123456789abcdef0123',
                readyReplicas: 1,
                rolloutComplete: false,
              },
              errors: ['Prometheus did not answer: the health gate is unknown'],
            },
          ],
        }),
      }),
    );

    const production = await environment('production');
    // The failed release and what still runs, each said once, in plain words.
    expect(await production.findByText(/^Last release:/)).toHaveTextContent(
      'Last release: #1 v1.0.1 failed',
    );
    expect(production.getByText(/^Running/)).toHaveTextContent(
      'Running #1 v1.0.0 (0123456789ab) · 1/2 ready · rollout in progress',
    );
    expect(
      production.getByRole('button', { name: '#1 v1.0.0' }),
    ).toBeInTheDocument();
    expect(production.getByText('0123456789ab')).toHaveAttribute(
      'title',
      'sha256:0123456789abcdef0123',
    );
    expect(production.getByLabelText('ready replicas')).toHaveTextContent(
      '1/2 ready',
    );
    expect(production.getByText(/rollout in progress/)).toBeInTheDocument();
    expect(production.getByText('Sync: OutOfSync')).toBeInTheDocument();
    expect(production.getByText('Health: Progressing')).toBeInTheDocument();
    expect(
      production.getByText('Automated sync suspended'),
    ).toBeInTheDocument();
    expect(
      production.getByRole('button', { name: '#1 v1.0.1' }),
    ).toBeInTheDocument();
    expect(
      production.getByText(
        'Prometheus did not answer: the health gate is unknown',
      ),
    ).toBeInTheDocument();
    expect(
      production.getByRole('button', {
        name: 'Resume automated sync of production',
      }),
    ).toBeInTheDocument();

    const staging = await environment('staging');
    expect(staging.getByText('Nothing released here yet.')).toBeInTheDocument();
    // Automated sync is unknown there: no switch that would guess.
    expect(
      staging.queryByRole('button', { name: /automated sync/ }),
    ).toBeNull();
  });

  it("syncs and hard-refreshes, showing the backend's answer", async () => {
    const api = mockAutonomousApi({
      refreshEnvironment: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            502,
            'Argo CD did not answer; try again in a minute',
          ),
        ),
    });
    await renderTab(api);
    const production = await environment('production');

    await userEvent.click(await enabled(production, 'Sync now (production)'));
    expect(await production.findByRole('status')).toHaveTextContent(
      'Sync requested',
    );
    expect(api.syncEnvironment).toHaveBeenCalledWith(
      'component:default/shop',
      'production',
    );
    await waitFor(() => expect(api.getProjectStatus).toHaveBeenCalledTimes(2));

    await userEvent.click(
      await enabled(production, 'Hard refresh (production)'),
    );
    expect(await production.findByRole('alert')).toHaveTextContent(
      'Argo CD did not answer; try again in a minute',
    );
  });

  it('asks before suspending automated sync', async () => {
    const api = mockAutonomousApi();
    await renderTab(api);
    const production = await environment('production');

    await userEvent.click(
      await enabled(production, 'Suspend automated sync of production'),
    );
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByText(/stops applying changes from Git/),
    ).toBeInTheDocument();
    expect(api.setAutomatedSync).not.toHaveBeenCalled();
    await userEvent.click(dialog.getByRole('button', { name: 'Suspend' }));

    await waitFor(() =>
      expect(api.setAutomatedSync).toHaveBeenCalledWith(
        'component:default/shop',
        'production',
        false,
      ),
    );
  });

  it('keeps the actions of every environment when the status cannot be read, disabled where the policy says no', async () => {
    const api = mockAutonomousApi({
      getProjectStatus: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(503, 'Kubernetes is unreachable'),
        ),
    });
    await renderTab(api, { denied: ['autonomous.release.sync'] });

    expect(
      await screen.findByText(/Could not read the environments' status/),
    ).toBeInTheDocument();
    const staging = await environment('staging');
    expect(staging.getByText('Status unavailable.')).toBeInTheDocument();
    await enabled(staging, 'Deploy to staging');
    const sync = staging.getByRole('button', { name: 'Sync now (staging)' });
    // Still focusable, so a keyboard or screen reader user reaches the reason.
    await waitFor(() => expect(sync).toHaveAttribute('aria-disabled', 'true'));
    expect(sync).not.toBeDisabled();
    expect(sync).toHaveAccessibleDescription(
      'Syncing an environment needs membership of team-a, who own this project. Ask them or a portal admin for access.',
    );
    await userEvent.click(sync);
    expect(api.syncEnvironment).not.toHaveBeenCalled();
  });
});
