import { http, HttpResponse } from 'msw';
import { setupUpstreamServer } from '@autonomous-dev/upstream-contracts';
import { builtCommitOf } from './builtCommit';
import { JenkinsClient } from './JenkinsClient';

const BASE = 'http://jenkins.test';
const JOB = `${BASE}/job/shop/job/storefront`;
const SHA = '3f2a9c1d0b4e5f60718293a4b5c6d7e8f9a0b1c2';

/** A finished Pipeline run as Jenkins 2.568 with the git plugin answers it. */
function pipelineRun(extra: Record<string, unknown>) {
  return {
    _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
    number: 12,
    url: `${JOB}/12/`,
    building: false,
    result: 'SUCCESS',
    duration: 16_000,
    timestamp: 1,
    ...extra,
  };
}

const buildData = (sha: string, remote: string) => ({
  _class: 'hudson.plugins.git.util.BuildData',
  buildsByBranchName: {},
  lastBuiltRevision: {
    SHA1: sha,
    branch: [{ SHA1: sha, name: 'origin/main' }],
  },
  remoteUrls: [remote],
  scmName: '',
});

describe('builtCommitOf', () => {
  const server = setupUpstreamServer([{ system: 'jenkins', baseUrl: BASE }]);
  const client = new JenkinsClient({
    name: 'ci',
    url: BASE,
    username: 'robot',
    apiToken: 'jenkins-api-token-0123456789',
  });

  it('reads the SHA the build checked out and the subject from its change set', async () => {
    expect(server.contractCheckActive).toBe(true);
    server.use(
      http.get(`${JOB}/12/api/json`, () =>
        HttpResponse.json(
          pipelineRun({
            actions: [
              { _class: 'hudson.model.CauseAction', causes: [] },
              buildData(SHA.toUpperCase(), 'https://git.example/shop.git'),
              buildData('a'.repeat(40), 'https://git.example/library.git'),
            ],
            changeSets: [
              {
                _class: 'hudson.plugins.git.GitChangeSetList',
                kind: 'git',
                items: [
                  {
                    _class: 'hudson.plugins.git.GitChangeSet',
                    commitId: 'b'.repeat(40),
                    msg: 'An older commit in the same build',
                  },
                  {
                    _class: 'hudson.plugins.git.GitChangeSet',
                    commitId: SHA,
                    msg: 'Fix the checkout total',
                    comment:
                      'Fix the checkout total\n\nRounding was off by one cent.\n',
                  },
                ],
              },
            ],
          }),
        ),
      ),
    );
    const build = await client.getBuild('shop/storefront', 12);
    expect(builtCommitOf(build)).toEqual({
      sha: SHA,
      message: 'Fix the checkout total\n\nRounding was off by one cent.',
    });
  });

  it('knows the SHA without a subject when the commit is not new since the last build', () => {
    expect(
      builtCommitOf(
        pipelineRun({
          actions: [buildData(SHA, 'https://git.example/shop.git')],
          changeSets: [],
        }) as any,
      ),
    ).toEqual({ sha: SHA });
  });

  it('reads a freestyle build’s one change set by its short message', () => {
    expect(
      builtCommitOf({
        ...pipelineRun({ actions: [buildData(SHA, 'x')] }),
        _class: 'hudson.model.FreeStyleBuild',
        changeSet: { kind: 'git', items: [{ commitId: SHA, msg: 'Tidy' }] },
      } as any),
    ).toEqual({ sha: SHA, message: 'Tidy' });
  });

  it('knows nothing when no git checkout is reported', () => {
    expect(
      builtCommitOf(
        pipelineRun({
          actions: [{ lastBuiltRevision: { SHA1: 'main' } }],
        }) as any,
      ),
    ).toBeUndefined();
  });
});
