import { Project } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  githubPushExamples,
  gitlabPushExample,
} from '../__testUtils__/webhookContracts';
import { decidePush, pathFilterReason } from './decide';
import { Push, readGithubDelivery, readGitlabDelivery } from './pushEvent';

const env = (name: string) => ({
  name,
  branch: 'main',
  autoDeploy: true,
  namespace: `payments-api-${name}`,
  domains: [],
});

/** A service of the payments System, in the folder its annotation names. */
const service = (name: string): Project =>
  ({
    entityRef: `component:default/${name}`,
    kind: 'microservice',
    sourcePath: `services/${name}`,
    environments: [env('staging'), env('production')],
  } as unknown as Project);

const push = (changedPaths?: string[]): Push => ({
  ref: 'refs/heads/main',
  deleted: false,
  after: 'b'.repeat(40),
  headCommit: { id: 'b'.repeat(40), message: 'Round the fee' },
  changedPaths,
});

describe('path filters of services sharing a repository', () => {
  const touchingApi = push([
    'services/payments-api/src/fees.ts',
    'services/payments-api/package.json',
  ]);

  it('releases only the service whose folder the push changed', () => {
    expect(
      decidePush(service('payments-api'), touchingApi).release.map(e => e.name),
    ).toEqual(['staging', 'production']);
    for (const other of ['payments-worker', 'payments-ledger']) {
      expect(decidePush(service(other), touchingApi)).toEqual({
        release: [],
        ignored: [
          `the push changed no file under services/${other}/, the folder of this service (it changed services/payments-api/src/fees.ts, services/payments-api/package.json)`,
        ],
      });
    }
  });

  it('does not take a sibling folder with the same prefix for the service', () => {
    expect(
      pathFilterReason(
        service('payments-api'),
        push(['services/payments-api-v2/main.go']),
      ),
    ).toContain('changed no file under services/payments-api/');
  });

  it('counts removed files as changes, and names how many more changed', () => {
    expect(
      pathFilterReason(
        service('payments-ledger'),
        push(['services/payments-ledger/old.sql']),
      ),
    ).toBeUndefined();
    expect(
      pathFilterReason(
        service('payments-ledger'),
        push(['a', 'b', 'c', 'd', 'e']),
      ),
    ).toContain('it changed a, b, c and 2 more');
  });

  it('releases every service when the payload does not list the whole push', () => {
    expect(decidePush(service('payments-worker'), push()).release).toHaveLength(
      2,
    );
  });

  it('releases a service without a source path on every push', () => {
    const whole = { ...service('payments-api'), sourcePath: undefined };
    expect(decidePush(whole, push(['docs/README.md'])).release).toHaveLength(2);
  });

  it("reads GitHub's added, modified and removed files of every commit", () => {
    const [, example] = githubPushExamples().find(
      ([name]) => name === 'with-new-branch.payload.json',
    )!;
    const body = JSON.parse(example);
    body.commits = [
      {
        ...body.commits[0],
        added: ['services/payments-api/src/refunds.ts'],
        modified: ['services/payments-api/src/fees.ts'],
        removed: [],
      },
      {
        ...body.commits[0],
        added: [],
        modified: ['services/payments-api/src/fees.ts'],
        removed: ['services/payments-api/src/legacy.ts'],
      },
    ];
    const delivery = readGithubDelivery(
      { 'x-github-event': 'push', 'x-github-delivery': 'd-1' },
      body,
    );
    expect(delivery.push?.changedPaths).toEqual([
      'services/payments-api/src/refunds.ts',
      'services/payments-api/src/fees.ts',
      'services/payments-api/src/legacy.ts',
    ]);
  });

  it('does not trust the file list of a GitLab push that lists fewer commits than it pushed', () => {
    const headers = {
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
    };
    const body = JSON.parse(gitlabPushExample());
    // The documented example pushed 4 commits and lists 2.
    expect(
      readGitlabDelivery(headers, body).push?.changedPaths,
    ).toBeUndefined();
    body.total_commits_count = body.commits.length;
    expect(
      readGitlabDelivery(headers, body).push?.changedPaths?.sort(),
    ).toEqual(['CHANGELOG', 'app/controller/application.rb']);
  });
});
