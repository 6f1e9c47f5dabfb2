import {
  checkReleaseTransition,
  isReleaseInFlight,
  RELEASE_STATUSES,
  RELEASE_TRANSITIONS,
  TERMINAL_RELEASE_STATUSES,
} from './release';

describe('release transitions', () => {
  it('walks the happy path from queued to healthy', () => {
    const path = [
      'queued',
      'building',
      'built',
      'syncing',
      'progressing',
      'healthy',
    ] as const;
    for (let i = 1; i < path.length; i++) {
      expect(checkReleaseTransition(path[i - 1], path[i])).toEqual({
        ok: true,
      });
    }
  });

  it('refuses to skip the build on a queued release going straight to syncing', () => {
    expect(checkReleaseTransition('queued', 'syncing')).toEqual({
      ok: false,
      reason:
        'a release that is queued can only become building, built, failed, cancelled, not syncing',
    });
  });

  it('says a finished release cannot move', () => {
    const check = checkReleaseTransition('healthy', 'failed');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toBe(
      'a release that is healthy is finished and cannot become failed',
    );
  });

  it('only names known statuses as targets', () => {
    for (const targets of Object.values(RELEASE_TRANSITIONS)) {
      for (const t of targets) expect(RELEASE_STATUSES).toContain(t);
    }
  });

  it('treats terminal and degraded releases as not in flight', () => {
    expect(TERMINAL_RELEASE_STATUSES).toEqual([
      'healthy',
      'rolled-back',
      'failed',
      'cancelled',
    ]);
    expect(isReleaseInFlight('degraded')).toBe(false);
    expect(isReleaseInFlight('progressing')).toBe(true);
  });

  it('rolls back only from degraded', () => {
    const from = RELEASE_STATUSES.filter(s =>
      RELEASE_TRANSITIONS[s].includes('rolling-back'),
    );
    expect(from).toEqual(['degraded']);
  });
});
