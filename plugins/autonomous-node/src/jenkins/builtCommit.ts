import { JenkinsBuild } from './types';

/** The commit a build checked out, as Jenkins' git plugin reports it. @public */
export interface JenkinsBuiltCommit {
  /** The full SHA-1 of `lastBuiltRevision`. */
  sha: string;
  /** The commit's message (the change set item's `comment`, else its one-line `msg`). */
  message?: string;
}

type BuildDataAction = {
  _class?: string;
  lastBuiltRevision?: { SHA1?: string } | null;
};

type ChangeSetItem = { commitId?: string; msg?: string; comment?: string };
type ChangeSet = { items?: ChangeSetItem[] };

const SHA1 = /^[0-9a-f]{40}$/i;

/**
 * Reads which commit a finished build built: the git plugin's BuildData action
 * (`hudson.plugins.git.util.BuildData`, `lastBuiltRevision.SHA1`), and the message of that
 * commit from the build's change sets (`changeSets` of a Pipeline run, `changeSet` of a
 * freestyle build) when the commit is new since the job's previous build. A Pipeline that
 * checks out more than one repository has one BuildData per checkout; the first is the
 * project's own, the others (shared libraries) come after it.
 * @public
 */
export function builtCommitOf(
  build: JenkinsBuild,
): JenkinsBuiltCommit | undefined {
  const actions = (build.actions ?? []) as BuildDataAction[];
  const sha = actions
    .map(action => action?.lastBuiltRevision?.SHA1)
    .find((value): value is string => !!value && SHA1.test(value));
  if (!sha) return undefined;
  const sets: ChangeSet[] = [
    ...((build.changeSets ?? []) as ChangeSet[]),
    ...(build.changeSet ? [build.changeSet as ChangeSet] : []),
  ];
  const item = sets
    .flatMap(set => set.items ?? [])
    .find(i => i.commitId?.toLowerCase() === sha.toLowerCase());
  const message = (item?.comment ?? item?.msg)?.trim();
  return { sha: sha.toLowerCase(), ...(message ? { message } : {}) };
}
