import { renderInTestApp } from '@backstage/test-utils';
import { act, screen, within } from '@testing-library/react';
import { ReleaseEvent } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { StageTimeline } from './StageTimeline';

function event(
  id: string,
  at: string,
  to: ReleaseEvent['to'],
  message: string,
): ReleaseEvent {
  return { id, releaseId: 'rel-1', at, to, message };
}

const t0 = '2025-01-01T10:00:00.000Z';

describe('StageTimeline', () => {
  it('lists stages in time order with how long each took and what happened', async () => {
    await renderInTestApp(
      <StageTimeline
        events={[
          event(
            'e3',
            '2025-01-01T10:02:10.000Z',
            'syncing',
            'Argo CD sync requested',
          ),
          event('e1', t0, 'queued', 'Deploy main to staging (jane)'),
          event(
            'e4',
            '2025-01-01T10:02:40.000Z',
            'healthy',
            '2/2 ready, digest live',
          ),
          event(
            'e2',
            '2025-01-01T10:00:05.000Z',
            'building',
            'Jenkins build #42 started',
          ),
        ]}
      />,
    );

    const stages = within(screen.getByRole('list', { name: 'Stages' }))
      .getAllByRole('listitem')
      .map(item => item.textContent);

    expect(stages).toEqual([
      expect.stringMatching(/queued.*took 5s.*Deploy main to staging \(jane\)/),
      expect.stringMatching(/building.*took 2m 5s.*Jenkins build #42 started/),
      expect.stringMatching(/syncing.*took 30s.*Argo CD sync requested/),
      expect.stringMatching(/healthy.*2\/2 ready, digest live/),
      'Total 2m 40s',
    ]);
    expect(stages[3]).not.toMatch(/took|so far/);
    expect(
      screen.getAllByRole('listitem')[0].querySelector('time'),
    ).toHaveAttribute('dateTime', t0);
  });

  it('says how long the current stage has run so far, and gives no total yet', async () => {
    await renderInTestApp(
      <StageTimeline
        now={Date.parse('2025-01-01T10:01:05.000Z')}
        events={[
          event('e1', t0, 'queued', 'Pushed to main'),
          event('e2', '2025-01-01T10:00:05.000Z', 'building', 'Build #7'),
        ]}
      />,
    );

    expect(screen.getByText('1m 0s so far')).toBeInTheDocument();
    expect(screen.queryByText(/^Total/)).toBeNull();
  });

  it('shows finished stages as finished, and only the current one as running', async () => {
    await renderInTestApp(
      <StageTimeline
        now={Date.parse('2025-01-01T10:01:05.000Z')}
        events={[
          event('e1', t0, 'queued', 'Pushed to main'),
          event('e2', '2025-01-01T10:00:05.000Z', 'building', 'Build #7'),
          event('e3', '2025-01-01T10:00:35.000Z', 'syncing', 'Sync asked'),
        ]}
      />,
    );

    const [queued, building, syncing] = within(
      screen.getByRole('list', { name: 'Stages' }),
    ).getAllByRole('listitem');
    expect(within(queued).getByLabelText('Status ok')).toBeInTheDocument();
    expect(within(building).getByLabelText('Status ok')).toBeInTheDocument();
    expect(within(building).getByText('took 30s')).toBeInTheDocument();
    expect(
      within(syncing).getByLabelText('Status running'),
    ).toBeInTheDocument();
    expect(within(syncing).getByText('30s so far')).toBeInTheDocument();
  });

  it('counts the running stage up while the page is open', async () => {
    jest.useFakeTimers({ now: Date.parse('2025-01-01T10:00:10.000Z') });
    try {
      await renderInTestApp(
        <StageTimeline
          events={[event('e1', t0, 'building', 'Build #7 started')]}
        />,
      );
      expect(screen.getByText('10s so far')).toBeInTheDocument();
      act(() => {
        jest.advanceTimersByTime(5_000);
      });
      expect(screen.getByText('15s so far')).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it('says when nothing has been recorded', async () => {
    await renderInTestApp(<StageTimeline events={[]} />);
    expect(screen.getByText('No stage recorded yet.')).toBeInTheDocument();
  });
});
