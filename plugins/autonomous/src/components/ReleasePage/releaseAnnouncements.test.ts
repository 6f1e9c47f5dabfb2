import { act, renderHook, waitFor } from '@testing-library/react';
import { aRelease } from '../../__testUtils__/releases';
import { announcementOf, useReleaseAnnouncer } from './releaseAnnouncements';

const justNow = () => new Date().toISOString();

describe('release announcements', () => {
  it('says each move in one sentence', () => {
    const release = aRelease({
      number: 12,
      version: 'main-12',
      environment: 'staging',
    });
    expect(announcementOf({ ...release, status: 'syncing' })).toBe(
      '#12 main-12 to staging: syncing',
    );
    expect(
      announcementOf({ ...release, status: 'healthy', durationMs: 16_000 }),
    ).toBe('#12 main-12 to staging: healthy after 16s');
    expect(
      announcementOf({ ...release, status: 'failed' }, [
        {
          id: 'e1',
          releaseId: release.id,
          at: '2025-01-01T10:00:00.000Z',
          to: 'building',
          message: 'Build #4 started',
        },
        {
          id: 'e2',
          releaseId: release.id,
          at: '2025-01-01T10:01:00.000Z',
          to: 'failed',
          message: 'Build #4 failed: tests did not pass',
        },
      ]),
    ).toBe(
      '#12 main-12 to staging: failed: Build #4 failed: tests did not pass',
    );
  });

  it('reads why a release failed when the page had only its summary', async () => {
    const readEvents = jest.fn().mockResolvedValue([
      {
        id: 'e9',
        releaseId: 'new',
        at: '2025-01-01T10:01:00.000Z',
        to: 'failed',
        message: 'Argo CD sync failed: image pull back-off',
      },
    ]);
    const { result } = renderHook(() => useReleaseAnnouncer(readEvents));
    const fresh = aRelease({
      id: 'new',
      version: 'v2',
      environment: 'staging',
      status: 'syncing',
      createdAt: justNow(),
    });
    act(() => result.current.observe([fresh]));
    act(() => result.current.observe([{ ...fresh, status: 'failed' }]));

    await waitFor(() =>
      expect(result.current.announcement).toBe(
        '#1 v2 to staging: failed: Argo CD sync failed: image pull back-off',
      ),
    );
    expect(readEvents).toHaveBeenCalledWith('new');
  });

  it('announces releases started while the page is open, once per move, and not the history', () => {
    const { result } = renderHook(() => useReleaseAnnouncer());
    const old = aRelease({ id: 'old', createdAt: '2020-01-01T00:00:00.000Z' });
    const fresh = aRelease({
      id: 'new',
      version: 'v2',
      environment: 'staging',
      status: 'queued',
      createdAt: justNow(),
      durationMs: undefined,
    });

    act(() => result.current.observe([old, fresh]));
    expect(result.current.announcement).toBe('#1 v2 to staging: queued');

    // The same move seen again (by the drawer, say) is not said twice.
    act(() => result.current.observe([fresh]));
    expect(result.current.announcement).toBe('#1 v2 to staging: queued');

    act(() => result.current.observe([{ ...fresh, status: 'building' }]));
    expect(result.current.announcement).toBe('#1 v2 to staging: building');

    // A move of a release that was already there is news too.
    act(() => result.current.observe([{ ...old, status: 'rolled-back' }]));
    expect(result.current.announcement).toMatch(/: rolled back$/);
  });
});
