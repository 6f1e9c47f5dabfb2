import { aRelease, projectStatus } from '../../__testUtils__/releases';
import { runningReleases } from './runningReleases';

describe('runningReleases', () => {
  const reported = aRelease({
    id: 'rel-1',
    environment: 'production',
    createdAt: '2025-01-01T10:00:00.000Z',
  });
  const status = {
    ...projectStatus,
    environments: [
      {
        environment: 'production',
        namespace: 'shop',
        summary: '',
        runningRelease: reported,
      },
    ],
  };

  it('takes what the status reports', () => {
    expect(runningReleases(status, [reported]).get('production')?.id).toBe(
      'rel-1',
    );
  });

  it('prefers a newer healthy release from the history: the status has not caught up yet', () => {
    const newer = aRelease({
      id: 'rel-2',
      environment: 'production',
      status: 'healthy',
      createdAt: '2025-01-02T10:00:00.000Z',
    });
    const failed = aRelease({
      id: 'rel-3',
      environment: 'production',
      status: 'failed',
      createdAt: '2025-01-03T10:00:00.000Z',
    });
    expect(
      runningReleases(status, [failed, newer, reported]).get('production')?.id,
    ).toBe('rel-2');
  });
});
