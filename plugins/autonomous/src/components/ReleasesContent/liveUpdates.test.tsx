import { act, screen, waitFor, within } from '@testing-library/react';
import { releaseSignalChannel } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { aRelease, mockAutonomousApi } from '../../__testUtils__/releases';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';

const building = aRelease({
  id: 'rel-2',
  version: 'v1.1.0',
  environment: 'staging',
  status: 'building',
  finishedAt: undefined,
  durationMs: undefined,
});

function historyRow(version: string) {
  const row = screen
    .getAllByText(version)
    .map(element => element.closest('tr'))
    .find(Boolean);
  return within(row as HTMLElement);
}

describe('live updates of the Releases tab', () => {
  it("refetches the history and the status when a signal comes on this entity's channel", async () => {
    const signals = fakeSignals();
    const api = mockAutonomousApi({
      listReleases: jest
        .fn()
        .mockResolvedValueOnce({ items: [building] })
        .mockResolvedValue({ items: [{ ...building, status: 'healthy' }] }),
    });
    await renderTab(api, { signals: signals.api });
    await waitFor(() =>
      expect(historyRow('v1.1.0').getByText('building')).toBeInTheDocument(),
    );
    // The page listens on its own entity's channel only; signals carry nothing.
    expect(
      signals.subscriberCount(releaseSignalChannel('component:default/shop')),
    ).toBe(1);

    act(() =>
      signals.emit(releaseSignalChannel('component:default/other'), {}),
    );
    expect(api.listReleases).toHaveBeenCalledTimes(1);

    act(() => signals.emit(releaseSignalChannel('component:default/shop'), {}));

    await waitFor(() =>
      expect(historyRow('v1.1.0').getByText('healthy')).toBeInTheDocument(),
    );
    expect(api.listReleases).toHaveBeenCalledTimes(2);
    expect(api.getProjectStatus).toHaveBeenCalledTimes(2);
    // Signals make polling needless.
    expect(
      screen.queryByText(/Checking for changes every 10 seconds/),
    ).toBeNull();
  });

  describe('without the signals plugin', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('polls every 10 s while a release is in flight, and stops once none is', async () => {
      const api = mockAutonomousApi({
        listReleases: jest
          .fn()
          .mockResolvedValueOnce({ items: [building] })
          .mockResolvedValue({ items: [{ ...building, status: 'healthy' }] }),
      });
      await renderTab(api);
      await waitFor(() =>
        expect(historyRow('v1.1.0').getByText('building')).toBeInTheDocument(),
      );
      expect(
        screen.getByText(
          'Checking for changes every 10 seconds while a release is in flight.',
        ),
      ).toBeInTheDocument();

      await act(async () => {
        jest.advanceTimersByTime(9_000);
      });
      expect(api.listReleases).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(1_000);
      });
      await waitFor(() =>
        expect(historyRow('v1.1.0').getByText('healthy')).toBeInTheDocument(),
      );
      expect(api.listReleases).toHaveBeenCalledTimes(2);
      expect(api.getProjectStatus).toHaveBeenCalledTimes(2);

      // Nothing in flight any more: nothing changes by itself, so nothing is asked.
      await act(async () => {
        jest.advanceTimersByTime(60_000);
      });
      expect(api.listReleases).toHaveBeenCalledTimes(2);
      // Nor is the status read again later: the read after the change was already fresh.
      expect(api.getProjectStatus).toHaveBeenCalledTimes(2);
    });
  });
});
