import { Project } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  githubPushExamples,
  gitlabPushExample,
} from '../__testUtils__/webhookContracts';
import { decidePush, skipMarkerIn } from './decide';
import { Push, readGithubDelivery, readGitlabDelivery } from './pushEvent';

const githubHeaders = {
  'x-github-event': 'push',
  'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  'x-github-hook-id': '292430182',
};

describe('reading deliveries', () => {
  it.each(githubPushExamples())('reads GitHub example %s', (_, body) => {
    const delivery = readGithubDelivery(githubHeaders, JSON.parse(body));
    expect(delivery).toMatchObject({
      provider: 'github',
      deliveryId: githubHeaders['x-github-delivery'],
      hookId: '292430182',
      event: 'push',
      repository: 'Codertocat/Hello-World',
    });
    expect(delivery.push?.ref).toMatch(/^refs\/(heads|tags)\//);
  });

  it('reads a GitHub push to a branch with its head commit', () => {
    const [, body] = githubPushExamples().find(
      ([name]) => name === 'with-new-branch.payload.json',
    )!;
    expect(readGithubDelivery(githubHeaders, JSON.parse(body)).push).toEqual({
      ref: 'refs/heads/master',
      deleted: false,
      after: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      headCommit: {
        id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        message: 'Initial commit',
        timestamp: new Date('2019-05-15T15:19:25Z'),
      },
      changedPaths: ['README.md'],
    });
  });

  it("reads GitLab's documented push hook, its head commit among the commits", () => {
    const delivery = readGitlabDelivery(
      {
        'x-gitlab-event': 'Push Hook',
        'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
        'x-gitlab-webhook-uuid': '2a6c3f8e-9d0b-4f8e-8c1a-5b7d9e0f1a2b',
      },
      JSON.parse(gitlabPushExample()),
    );
    expect(delivery).toEqual({
      provider: 'gitlab',
      deliveryId: '13792a34-cac6-4fda-95a8-c58e00a3954e',
      hookId: '2a6c3f8e-9d0b-4f8e-8c1a-5b7d9e0f1a2b',
      event: 'push',
      repository: 'mike/diaspora',
      push: {
        ref: 'refs/heads/master',
        deleted: false,
        after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        headCommit: {
          id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
          message: 'fixed readme',
          timestamp: new Date('2012-01-03T23:36:29+02:00'),
        },
      },
    });
  });

  it('refuses a delivery without its headers or repository, saying what is missing', () => {
    const body = JSON.parse(githubPushExamples()[0][1]);
    expect(() =>
      readGithubDelivery({ 'x-github-event': 'push' }, body),
    ).toThrow('X-GitHub-Delivery header is missing');
    expect(() =>
      readGithubDelivery(githubHeaders, { ...body, repository: undefined }),
    ).toThrow('repository: is missing');
    expect(() =>
      readGithubDelivery(githubHeaders, { ...body, after: 'not-a-sha' }),
    ).toThrow('after: must be a SHA');
    expect(() =>
      readGitlabDelivery({ 'x-gitlab-event-uuid': 'x' }, {}),
    ).toThrow('X-Gitlab-Event header is missing');
  });
});

describe('deciding what a push releases', () => {
  const env = (name: string, branch: string, autoDeploy = true) => ({
    name,
    branch,
    autoDeploy,
    namespace: `shop-${name}`,
    domains: [],
  });
  const project = {
    entityRef: 'component:default/shop',
    environments: [
      env('staging', 'main'),
      env('preview', 'main', false),
      env('production', 'release'),
    ],
  } as unknown as Project;
  const push = (message: string, ref = 'refs/heads/main'): Push => ({
    ref,
    deleted: false,
    after: 'a'.repeat(40),
    headCommit: { id: 'a'.repeat(40), message },
  });

  it('releases the environments following the branch with auto-deploy on, and says why not the others', () => {
    expect(decidePush(project, push('Fix the total'))).toEqual({
      release: [project.environments[0]],
      ignored: [
        'preview: auto-deploy is off; turn it on to release every push to main',
      ],
    });
  });

  it.each(['[skip ci]', '[CI SKIP]', '[skip cd]', '[Skip Autonomous]'])(
    'skips a head commit saying %s',
    marker => {
      expect(decidePush(project, push(`Docs only ${marker}`))).toEqual({
        release: [],
        ignored: [
          `the head commit aaaaaaa says ${marker.toLowerCase()} in its message`,
        ],
      });
    },
  );

  it('ignores tags, deleted branches and branches no environment follows', () => {
    expect(decidePush(project, push('x', 'refs/tags/v1')).ignored).toEqual([
      "refs/tags/v1 is not a branch: only pushes to an environment's branch are released",
    ]);
    expect(
      decidePush(project, { ...push('x'), deleted: true }).ignored,
    ).toEqual([
      'the push deleted refs/heads/main: there is nothing to release',
    ]);
    expect(
      decidePush(project, push('x', 'refs/heads/feature')).ignored,
    ).toEqual([
      'no environment follows branch feature (staging follows main, preview follows main, production follows release)',
    ]);
    expect(skipMarkerIn('skip ci without brackets')).toBeUndefined();
  });
});
