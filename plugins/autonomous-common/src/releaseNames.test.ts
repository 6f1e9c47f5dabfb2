import {
  commitSubjectOf,
  releaseLabel,
  releaseName,
  releaseOrigin,
  releaseVersion,
} from './releaseNames';

describe('release names', () => {
  it('labels a release by its number', () => {
    expect(releaseLabel({ number: 12 })).toBe('#12');
    expect(releaseName({ number: 12, version: 'main-12' })).toBe('#12 main-12');
  });

  it('says where a redeploy or rollback came from', () => {
    expect(
      releaseOrigin({
        number: 14,
        trigger: 'rollback',
        sourceReleaseId: 'r12',
        sourceReleaseNumber: 12,
      }),
    ).toBe('rollback to #12');
    expect(
      releaseOrigin({
        number: 15,
        trigger: 'redeploy',
        sourceReleaseId: 'r12',
        sourceReleaseNumber: 12,
      }),
    ).toBe('redeploy of #12');
    expect(releaseOrigin({ number: 3, trigger: 'manual' })).toBeUndefined();
  });

  it('names a build by what was asked for and the number, never by the release id', () => {
    expect(releaseVersion(12, { ref: 'main' })).toBe('main-12');
    expect(releaseVersion(3, { ref: 'feature/checkout total' })).toBe(
      'feature-checkout-total-3',
    );
    expect(
      releaseVersion(7, {
        commitSha: '3f2a9c1d0b4e5f60718293a4b5c6d7e8f9a0b1c2',
      }),
    ).toBe('3f2a9c1d0b4e-7');
    expect(releaseVersion(1, { ref: '-.x' })).toBe('x-1');
    expect(releaseVersion(2, {})).toBe('release-2');
  });

  it('reads the subject of a commit message', () => {
    expect(commitSubjectOf('Fix the total\n\nLong body')).toBe('Fix the total');
    expect(commitSubjectOf('  \nbody')).toBeUndefined();
    expect(commitSubjectOf(null)).toBeUndefined();
  });
});
