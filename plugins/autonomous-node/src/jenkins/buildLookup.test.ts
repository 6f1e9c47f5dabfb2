import { hasParameter, isTaskOfJob } from './buildLookup';

describe('buildLookup', () => {
  it('matches a queue task to its job by the whole job/ chain of its URL', () => {
    const url = 'https://ci.example.com/jenkins/job/shop/job/store%20front/';
    expect(isTaskOfJob(url, 'shop/store front')).toBe(true);
    // The same name in another folder, or a parent folder, is another job.
    expect(isTaskOfJob(url, 'store front')).toBe(false);
    expect(isTaskOfJob(url, 'shop')).toBe(false);
    expect(isTaskOfJob(url, 'other/store front')).toBe(false);
    expect(isTaskOfJob('job/shop/', 'shop')).toBe(true);
    expect(isTaskOfJob(undefined, 'shop')).toBe(false);
  });

  it('finds a parameter among the exported actions, whatever its value type', () => {
    const actions = [
      { _class: 'hudson.model.CauseAction' },
      null,
      {
        _class: 'hudson.model.ParametersAction',
        parameters: [
          { name: 'DRY_RUN', value: false },
          { name: 'AUTONOMOUS_RELEASE_ID', value: 'r1' },
        ],
      },
    ];
    expect(
      hasParameter(actions, { name: 'AUTONOMOUS_RELEASE_ID', value: 'r1' }),
    ).toBe(true);
    expect(hasParameter(actions, { name: 'DRY_RUN', value: 'false' })).toBe(
      true,
    );
    expect(
      hasParameter(actions, { name: 'AUTONOMOUS_RELEASE_ID', value: 'r2' }),
    ).toBe(false);
    expect(hasParameter(undefined, { name: 'X', value: '' })).toBe(false);
  });
});
