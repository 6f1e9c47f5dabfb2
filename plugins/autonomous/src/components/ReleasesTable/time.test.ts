import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { formatDuration, formatRelativeTime, releaseDuration } from './time';

const release: Release = {
  id: 'r',
  number: 1,
  entityRef: 'component:default/shop',
  environment: 'production',
  version: 'v1',
  trigger: 'manual',
  requestedBy: 'user:default/jane',
  status: 'healthy',
  createdAt: '2025-01-01T10:00:00.000Z',
};

describe('release times', () => {
  it('writes durations the way people say them', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45_400)).toBe('45s');
    expect(formatDuration(192_000)).toBe('3m 12s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000 + 30_000)).toBe('2h 5m');
  });

  it('says running while a started release is in flight, and a dash before it starts', () => {
    expect(
      releaseDuration({
        ...release,
        status: 'building',
        startedAt: release.createdAt,
      }),
    ).toBe('running');
    expect(releaseDuration({ ...release, status: 'queued' })).toBe('—');
  });

  it('prefers the recorded duration and falls back to start and finish', () => {
    expect(releaseDuration({ ...release, durationMs: 61_000 })).toBe('1m 1s');
    expect(
      releaseDuration({
        ...release,
        startedAt: '2025-01-01T10:00:00.000Z',
        finishedAt: '2025-01-01T10:03:12.000Z',
      }),
    ).toBe('3m 12s');
    expect(releaseDuration(release)).toBe('—');
  });

  it('writes start times relative to now', () => {
    const now = Date.parse('2025-01-01T10:05:00.000Z');
    expect(formatRelativeTime('2025-01-01T10:00:00.000Z', now)).toBe(
      '5 minutes ago',
    );
    expect(formatRelativeTime('2024-12-31T10:00:00.000Z', now)).toBe(
      'yesterday',
    );
  });
});
