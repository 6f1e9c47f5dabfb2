import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  EnvironmentRollout,
  releaseSignalChannel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockAutonomousApi } from '../../__testUtils__/releases';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';

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

  it('reads the steps again when the release signal says the Rollout moved, and does not poll meanwhile', async () => {
    const at50 = canary('production', {
      currentStepIndex: 3,
      weights: { canary: 50, stable: 50 },
      steps: STEPS.map(s => ({
        ...s,
        state: s.index < 3 ? 'done' : 'current',
      })),
    });
    let current = canary('production');
    const getEnvironmentRollout = jest
      .fn()
      .mockImplementation(async (_ref: unknown, env: string) =>
        env === 'production'
          ? current
          : { ...canary(env), strategy: 'rolling', steps: [] },
      );
    const signals = fakeSignals();
    await renderTab(mockAutonomousApi({ getEnvironmentRollout }), {
      signals: signals.api,
    });
    const card = within(
      await screen.findByRole('region', { name: 'Rollout in production' }),
    );
    expect(card.getByText('Canary 20% · stable 80%')).toBeInTheDocument();
    const reads = () =>
      getEnvironmentRollout.mock.calls.filter(([, env]) => env === 'production')
        .length;
    const before = reads();

    // Longer than the old 5 s poll: with signals, nothing is read until one comes.
    await new Promise(r => setTimeout(r, 5_500));
    expect(reads()).toBe(before);
    expect(card.getByText('Canary 20% · stable 80%')).toBeInTheDocument();

    current = at50;
    act(() =>
      signals.emit(releaseSignalChannel('component:default/other'), {}),
    );
    act(() => signals.emit(releaseSignalChannel('component:default/shop'), {}));
    expect(
      await card.findByText('Canary 50% · stable 50%'),
    ).toBeInTheDocument();
    expect(reads()).toBe(before + 1);
    expect(card.getByRole('listitem', { current: 'step' })).toHaveTextContent(
      '4. pause — current',
    );
  }, 20_000);

  describe('without the signals plugin', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('reads a moving rollout again every 10 s, and stops once it is no longer moving', async () => {
      let current = canary('production');
      const getEnvironmentRollout = jest
        .fn()
        .mockImplementation(async (_ref: unknown, env: string) =>
          env === 'production'
            ? current
            : { ...canary(env), strategy: 'rolling', steps: [] },
        );
      await renderTab(mockAutonomousApi({ getEnvironmentRollout }));
      const card = within(
        await screen.findByRole('region', { name: 'Rollout in production' }),
      );
      const reads = () =>
        getEnvironmentRollout.mock.calls.filter(
          ([, env]) => env === 'production',
        ).length;
      const before = reads();
      current = canary('production', {
        phase: 'Healthy',
        message: undefined,
        paused: false,
        inProgress: false,
        weights: { canary: 0, stable: 100 },
      });
      await act(async () => {
        jest.advanceTimersByTime(9_000);
      });
      expect(reads()).toBe(before);
      await act(async () => {
        jest.advanceTimersByTime(1_000);
      });
      await waitFor(() =>
        expect(card.getByText('Canary rollout: Healthy')).toBeInTheDocument(),
      );
      expect(reads()).toBe(before + 1);
      // Healthy: nothing moves by itself any more, so nothing is asked.
      await act(async () => {
        jest.advanceTimersByTime(60_000);
      });
      expect(reads()).toBe(before + 1);
    });
  });
});
