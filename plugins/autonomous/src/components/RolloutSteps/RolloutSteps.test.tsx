import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EnvironmentRollout } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockAutonomousApi } from '../../__testUtils__/releases';
import { renderTab } from '../../__testUtils__/renderTab';

const STEPS: EnvironmentRollout['steps'] = [
  {
    index: 0,
    kind: 'setWeight',
    label: 'setWeight: 20',
    weight: 20,
    state: 'done',
  },
  { index: 1, kind: 'pause', label: 'pause', state: 'current' },
  {
    index: 2,
    kind: 'setWeight',
    label: 'setWeight: 50',
    weight: 50,
    state: 'pending',
  },
  { index: 3, kind: 'pause', label: 'pause', state: 'pending' },
];

function canary(
  environment: string,
  overrides: Partial<EnvironmentRollout> = {},
): EnvironmentRollout {
  return {
    environment,
    strategy: 'canary',
    rollout: { namespace: 'shop', name: 'shop' },
    phase: 'Paused',
    message: 'CanaryPauseStep',
    paused: true,
    aborted: false,
    inProgress: true,
    stableRevision: 'bcdf1',
    currentRevision: 'bcdf2',
    currentStepIndex: 1,
    steps: STEPS,
    weights: { canary: 20, stable: 80 },
    promote: { possible: true },
    abort: { possible: true },
    ...overrides,
  };
}

describe('the rollout steps', () => {
  it('shows a paused canary with its current step, and promotes it', async () => {
    const at50 = canary('production', {
      currentStepIndex: 3,
      weights: { canary: 50, stable: 50 },
      steps: STEPS.map(s => ({
        ...s,
        state: s.index < 3 ? 'done' : 'current',
      })),
    });
    const api = mockAutonomousApi({
      getEnvironmentRollout: jest
        .fn()
        .mockImplementation(async (_ref: unknown, env: string) =>
          env === 'production'
            ? canary(env)
            : { ...canary(env), strategy: 'rolling', steps: [] },
        ),
      promoteEnvironmentRollout: jest.fn().mockResolvedValue({
        message: 'rollout shop in shop promoted past step 2 of 4',
        rollout: at50,
      }),
    });
    await renderTab(api);

    const card = within(
      await screen.findByRole('region', { name: 'Rollout in production' }),
    );
    expect(
      screen.queryByRole('region', { name: 'Rollout in staging' }),
    ).not.toBeInTheDocument();
    expect(
      card.getByText('Canary rollout: Paused (CanaryPauseStep)'),
    ).toBeInTheDocument();
    expect(card.getByText('Canary 20% · stable 80%')).toBeInTheDocument();
    const steps = card.getByRole('list', {
      name: 'Steps of the rollout in production',
    });
    expect(
      within(steps)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      '1. setWeight: 20 — done',
      '2. pause — current',
      '3. setWeight: 50 — to come',
      '4. pause — to come',
    ]);

    await userEvent.click(
      card.getByRole('button', { name: 'Promote rollout (production)' }),
    );
    expect(api.promoteEnvironmentRollout).toHaveBeenCalledWith(
      'component:default/shop',
      'production',
    );
    expect(
      await card.findByText('rollout shop in shop promoted past step 2 of 4'),
    ).toBeInTheDocument();
    expect(card.getByText('Canary 50% · stable 50%')).toBeInTheDocument();
  });

  it('keeps Promote and Abort visible but disabled, with the reason, when they would do nothing or are not allowed', async () => {
    const api = mockAutonomousApi({
      getEnvironmentRollout: jest
        .fn()
        .mockImplementation(async (_ref: unknown, env: string) =>
          canary(env, {
            phase: 'Degraded',
            message: 'RolloutAborted: Rollout aborted update to revision 2',
            aborted: true,
            paused: false,
            weights: { canary: 0, stable: 100 },
            promote: {
              possible: false,
              reason:
                'rollout shop in shop was aborted and serves the stable version: release again to roll out a new one',
            },
            abort: {
              possible: false,
              reason: 'rollout shop in shop is already aborted',
            },
          }),
        ),
    });
    await renderTab(api, { denied: ['autonomous.rollout.abort'] });
    const card = within(
      await screen.findByRole('region', { name: 'Rollout in production' }),
    );
    const promote = card.getByRole('button', {
      name: 'Promote rollout (production)',
    });
    expect(promote).toHaveAttribute('aria-disabled', 'true');
    expect(promote).toHaveAccessibleDescription(
      'rollout shop in shop was aborted and serves the stable version: release again to roll out a new one',
    );
    const abort = card.getByRole('button', {
      name: 'Abort rollout (production)',
    });
    await waitFor(() =>
      expect(abort).toHaveAccessibleDescription(
        "You may not abort rollouts: ask the project's owners or a portal admin for access.",
      ),
    );
    await userEvent.click(promote);
    expect(api.promoteEnvironmentRollout).not.toHaveBeenCalled();
  });
});
