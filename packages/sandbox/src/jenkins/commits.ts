import { sha256Hex } from '../util.ts';
import type { Build, BuiltCommit } from './types.ts';

const SUBJECTS = [
  'Fix the checkout total for discounted baskets',
  'Show delivery dates on the order page',
  'Retry the payment call once on a timeout',
  'Tidy the product search query',
  'Log the order id with every payment error',
  'Bump node to 24.11',
];

/**
 * The commit a build checks out, as the git plugin would resolve what it was given: a SHA
 * (GIT_COMMIT of 7 to 40 hex characters) is that commit, completed to 40 characters the same way
 * every time; a branch or tag is its head, a commit of its own for every build of the job.
 * A commit pushed through the webhook control keeps the message it was pushed with; any other
 * gets a subject chosen from a few plausible ones by the SHA, so a test can compare what the
 * portal shows with what this Jenkins reported.
 */
export function commitFor(
  job: string,
  number: number,
  params: Record<string, string>,
  pushed: ReadonlyMap<string, string> = new Map(),
): BuiltCommit {
  const given = (params.GIT_COMMIT ?? '').trim().toLowerCase();
  if (/^[0-9a-f]{7,40}$/.test(given)) {
    const known = [...pushed.keys()].find(sha => sha.startsWith(given));
    if (known) {
      const message = pushed.get(known)!;
      return { sha: known, subject: message.split('\n')[0], message };
    }
  }
  const sha = /^[0-9a-f]{7,40}$/.test(given)
    ? (given + sha256Hex(`commit ${given}`)).slice(0, 40)
    : sha256Hex(`${job}#${number}:${given || 'main'}`).slice(0, 40);
  const subject = SUBJECTS[parseInt(sha.slice(0, 6), 16) % SUBJECTS.length];
  return { sha, subject };
}

/**
 * The git plugin's answers about a build: its BuildData action (`lastBuiltRevision`) and the
 * change set listing the built commit, `changeSets` on a Pipeline run and `changeSet` on a
 * freestyle build (Jenkins core `Run`/`AbstractBuild`, git plugin `GitChangeSet`).
 */
export function gitActionsOf(build: Build, remoteUrl: string) {
  const { sha, subject, message } = build.commit;
  const branch = `origin/${build.params.GIT_BRANCH || 'main'}`;
  const buildData = {
    _class: 'hudson.plugins.git.util.BuildData',
    buildsByBranchName: {
      [branch]: {
        _class: 'hudson.plugins.git.util.Build',
        buildNumber: build.number,
        buildResult: null,
        marked: { SHA1: sha, branch: [{ SHA1: sha, name: branch }] },
        revision: { SHA1: sha, branch: [{ SHA1: sha, name: branch }] },
      },
    },
    lastBuiltRevision: { SHA1: sha, branch: [{ SHA1: sha, name: branch }] },
    remoteUrls: [remoteUrl],
    scmName: '',
  };
  const changeSet = {
    _class: 'hudson.plugins.git.GitChangeSetList',
    items: [
      {
        _class: 'hudson.plugins.git.GitChangeSet',
        affectedPaths: ['src/app.ts'],
        commitId: sha,
        timestamp: build.startedAt,
        author: {
          absoluteUrl: 'http://sandbox/user/autonomous',
          fullName: 'Autonomous Sandbox',
        },
        authorEmail: 'sandbox@autonomous.invalid',
        comment: `${message ?? subject}\n`,
        date: new Date(build.startedAt).toISOString(),
        id: sha,
        msg: subject,
        paths: [{ editType: 'edit', file: 'src/app.ts' }],
      },
    ],
    kind: 'git',
  };
  return { buildData, changeSet };
}
