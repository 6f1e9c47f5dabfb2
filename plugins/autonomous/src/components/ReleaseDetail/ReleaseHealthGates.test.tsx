import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  ReleaseHealthGate,
  ReleaseHealthGates as Gates,
  releaseSignalChannel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { autonomousApiRef } from '../../api';
import { mockAutonomousApi } from '../../__testUtils__/releases';
import { fakeSignals } from '../../__testUtils__/renderTab';
import { ReleaseHealthGates } from './ReleaseHealthGates';

const QUERY =
  'sum(rate(http_requests_total{namespace="shop-production",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="shop-production"}[1m]))';

function gate(over: Partial<ReleaseHealthGate> = {}): ReleaseHealthGate {
  return {
    name: 'error-ratio',
    query: QUERY,
    comparison: '<',
    threshold: 0.01,
    durationSeconds: 300,
    intervalSeconds: 30,
    autoRollback: true,
    startedAt: '2026-12-08T09:00:00.000Z',
    verdict: 'pending',
    samples: [],
    ...over,
  };
}

const samples = (values: Array<number | undefined>) =>
  values.map((value, i) => ({
    at: new Date(
      Date.parse('2026-12-08T09:00:30.000Z') + i * 30_000,
    ).toISOString(),
    value,
    passed: value !== undefined && value < 0.01,
    error: value === undefined ? 'Prometheus did not answer' : undefined,
  }));

async function render(
  getReleaseHealthGates: jest.Mock,
  moves = 3,
  signals?: SignalApi,
) {
  const api = mockAutonomousApi({ getReleaseHealthGates });
  const apis: any[] = [[autonomousApiRef, api]];
  if (signals) {
    // The guest (renderInTestApp's default user) is never signalled: a signed-in user is.
    apis.push(
      [signalApiRef, signals],
      [
        identityApiRef,
        mockApis.identity({ userEntityRef: 'user:default/jane' }),
      ],
    );
  }
  await renderInTestApp(
    <TestApiProvider apis={apis as any}>
      <ReleaseHealthGates
        entityRef="component:default/shop"
        releaseId="rel-1"
        moves={moves}
      />
    </TestApiProvider>,
  );
  return api;
}

describe('the health gates of a release', () => {
  it('shows a failed gate with its query, a chart of its values, the last value and why it failed', async () => {
    const failed: Gates = {
      releaseId: 'rel-1',
      steps: [],
      gates: [
        gate({
          verdict: 'failed',
          samples: samples([0.002, 0.003, undefined, 0.2]),
          reason: `${QUERY} was 0.2 at 2026-12-08T09:02:00.000Z, which is not < 0.01 (120 s into its 5 min window)`,
        }),
      ],
    };
    await render(jest.fn().mockResolvedValue(failed));
    const section = await screen.findByRole('region', {
      name: 'Gate error-ratio',
    });
    expect(within(section).getByText('failed')).toBeInTheDocument();
    expect(
      within(section).getByText(
        'Must stay < 0.01 for 5 min, evaluated every 30 s.',
      ),
    ).toBeInTheDocument();
    expect(
      within(section).getByLabelText('Query of error-ratio'),
    ).toHaveTextContent(QUERY);
    expect(
      within(section).getByRole('figure', {
        name: 'Values of error-ratio over its window',
      }),
    ).toBeInTheDocument();
    expect(
      within(section).getByText('4 samples; the last was 0.2.'),
    ).toBeInTheDocument();
    expect(
      within(section).getByText(/^Failed: .* was 0.2 at .*which is not < 0.01/),
    ).toBeInTheDocument();
  });

  it('reads an evaluating gate again each interval until it has its verdict', async () => {
    const getReleaseHealthGates = jest
      .fn()
      .mockResolvedValueOnce({
        releaseId: 'rel-1',
        steps: [],
        gates: [gate({ intervalSeconds: 1, samples: samples([0.002]) })],
      })
      .mockResolvedValue({
        releaseId: 'rel-1',
        steps: [],
        gates: [
          gate({
            intervalSeconds: 1,
            verdict: 'passed',
            samples: samples([0.002, 0.001]),
            reason: 'held < 0.01 for 5 min (2 samples, worst 0.002)',
          }),
        ],
      });
    await render(getReleaseHealthGates);
    expect(await screen.findByText('evaluating')).toBeInTheDocument();
    expect(
      await screen.findByText('passed', {}, { timeout: 3_000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Passed: held < 0.01 for 5 min (2 samples, worst 0.002)',
      ),
    ).toBeInTheDocument();
    const calls = getReleaseHealthGates.mock.calls.length;
    await new Promise(r => setTimeout(r, 1_500));
    // Decided: no more reads without a move.
    expect(getReleaseHealthGates.mock.calls.length).toBe(calls);
  });

  it('says when no gate ran, and offers a retry when they could not be read', async () => {
    const getReleaseHealthGates = jest
      .fn()
      .mockRejectedValueOnce(new Error('the backend is restarting'))
      .mockResolvedValue({ releaseId: 'rel-1', gates: [], steps: [] });
    await render(getReleaseHealthGates);
    expect(
      await screen.findByText(
        'Could not load the health gates: the backend is restarting',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() =>
      expect(
        screen.getByText(/No health gate was evaluated/),
      ).toBeInTheDocument(),
    );
  });

  it('charts the window judged at each canary pause under its step and weight, with its verdict and what the release did', async () => {
    const canary: Gates = {
      releaseId: 'rel-1',
      gates: [],
      steps: [
        {
          step: 'canary-1',
          kind: 'canary',
          index: 1,
          count: 5,
          weight: 20,
          label: 'canary step 2 of 5 (pause at weight 20)',
          reachedAt: '2026-12-08T09:00:00.000Z',
          action: 'promoted',
          windowStartedAt: '2026-12-08T09:00:00.000Z',
          windowEndsAt: '2026-12-08T09:05:00.000Z',
          gates: [
            gate({
              verdict: 'passed',
              samples: samples([0.002, 0.004]),
              reason: 'held < 0.01 for 5 min (2 samples, worst 0.004)',
            }),
          ],
        },
        {
          step: 'canary-3',
          kind: 'canary',
          index: 3,
          count: 5,
          weight: 60,
          label: 'canary step 4 of 5 (pause at weight 60)',
          reachedAt: '2026-12-08T09:06:00.000Z',
          action: 'aborted',
          windowStartedAt: '2026-12-08T09:06:00.000Z',
          windowEndsAt: '2026-12-08T09:11:00.000Z',
          gates: [
            gate({
              startedAt: '2026-12-08T09:06:00.000Z',
              verdict: 'failed',
              samples: samples([0.003, 0.2]),
              reason: `${QUERY} was 0.2, which is not < 0.01`,
            }),
          ],
        },
      ],
    };
    await render(jest.fn().mockResolvedValue(canary));
    const second = await screen.findByRole('region', {
      name: 'Step 2 of 5 · 20 % canary',
    });
    expect(
      within(second).getByRole('heading', {
        name: 'Step 2 of 5 · 20 % canary',
      }),
    ).toBeInTheDocument();
    expect(within(second).getByText('promoted')).toBeInTheDocument();
    const secondGate = within(second).getByRole('region', {
      name: 'Gate error-ratio at Step 2 of 5 · 20 % canary',
    });
    expect(within(secondGate).getByText('passed')).toBeInTheDocument();
    expect(
      within(secondGate).getByRole('figure', {
        name: 'Values of error-ratio at Step 2 of 5 · 20 % canary over its window',
      }),
    ).toBeInTheDocument();
    expect(
      within(secondGate).getByText('2 samples; the last was 0.004.'),
    ).toBeInTheDocument();

    const fourth = screen.getByRole('region', {
      name: 'Step 4 of 5 · 60 % canary',
    });
    expect(within(fourth).getByText('aborted')).toBeInTheDocument();
    expect(within(fourth).getByText('failed')).toBeInTheDocument();
    expect(
      within(fourth).getByText(/^Failed: .* was 0.2, which is not < 0.01/),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'After the rollout' }),
      ).getByText(/None yet/),
    ).toBeInTheDocument();
  });

  it('names a blue/green preview by its revision', async () => {
    await render(
      jest.fn().mockResolvedValue({
        releaseId: 'rel-1',
        gates: [gate({ verdict: 'passed', samples: samples([0.001]) })],
        steps: [
          {
            step: 'preview-7f9c',
            kind: 'preview',
            revision: '7f9c',
            label: 'blue/green preview (revision 7f9c)',
            reachedAt: '2026-12-08T08:55:00.000Z',
            action: 'promoted',
            windowStartedAt: '2026-12-08T08:55:00.000Z',
            windowEndsAt: '2026-12-08T09:00:00.000Z',
            gates: [gate({ verdict: 'passed', samples: samples([0.001]) })],
          },
        ],
      } satisfies Gates),
    );
    expect(
      await screen.findByRole('region', {
        name: 'Blue/green preview · revision 7f9c',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', {
        name: 'Gate error-ratio at after the rollout',
      }),
    ).toBeInTheDocument();
  });

  it('charts a new sample at a pause when the release signal comes, instead of polling', async () => {
    const at = (values: number[]): Gates => ({
      releaseId: 'rel-1',
      gates: [],
      steps: [
        {
          step: 'canary-1',
          kind: 'canary',
          index: 1,
          count: 5,
          weight: 20,
          label: 'canary step 2 of 5 (pause at weight 20)',
          reachedAt: '2026-12-08T09:00:00.000Z',
          windowStartedAt: '2026-12-08T09:00:00.000Z',
          windowEndsAt: '2026-12-08T09:05:00.000Z',
          gates: [gate({ intervalSeconds: 1, samples: samples(values) })],
        },
      ],
    });
    const getReleaseHealthGates = jest
      .fn()
      .mockResolvedValueOnce(at([0.002]))
      .mockResolvedValue(at([0.002, 0.003]));
    const signals = fakeSignals();
    await render(getReleaseHealthGates, 3, signals.api);
    expect(
      await screen.findByText('1 samples; the last was 0.002.'),
    ).toBeInTheDocument();
    // The gate is evaluated each second; with signals the page waits for one instead.
    await new Promise(r => setTimeout(r, 1_500));
    expect(getReleaseHealthGates).toHaveBeenCalledTimes(1);
    act(() => signals.emit(releaseSignalChannel('component:default/shop'), {}));
    expect(
      await screen.findByText('2 samples; the last was 0.003.'),
    ).toBeInTheDocument();
    expect(getReleaseHealthGates).toHaveBeenCalledTimes(2);
  });
});
