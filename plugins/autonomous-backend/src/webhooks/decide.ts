import {
  Environment,
  Project,
  WEBHOOK_SKIP_MARKERS,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Push } from './pushEvent';

/** The environments a push would release, or why it releases nothing at all. */
export type PushDecision =
  | { release: Environment[]; ignored: string[] }
  | { release: []; ignored: string[] };

const short = (sha: string) => sha.slice(0, 7);

/** The skip marker in a commit message, if any (`[skip ci]`, `[ci skip]`, …, any case). */
export function skipMarkerIn(message: string): string | undefined {
  const lower = message.toLowerCase();
  return WEBHOOK_SKIP_MARKERS.find(marker => lower.includes(marker));
}

/** Whether `path` (a file in the repository) lies in the folder `folder`. */
export function isUnder(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

/**
 * Why a service sharing its repository is not released by this push, or undefined when it is:
 * a push that changed no file under the service's folder leaves it alone. A push whose changes
 * the payload does not list whole is never filtered out.
 */
export function pathFilterReason(
  project: Project,
  push: Push,
): string | undefined {
  const folder = project.sourcePath;
  if (!folder || !push.changedPaths) return undefined;
  if (push.changedPaths.some(path => isUnder(path, folder))) return undefined;
  const elsewhere = push.changedPaths.slice(0, 3).join(', ');
  const more =
    push.changedPaths.length > 3
      ? ` and ${push.changedPaths.length - 3} more`
      : '';
  return `the push changed no file under ${folder}/, the folder of this service (${
    elsewhere ? `it changed ${elsewhere}${more}` : 'it changed no file'
  })`;
}

/**
 * Which of a project's environments a push releases: those following the pushed branch with
 * auto-deploy on, for a service with a source path only when the push changed a file in it.
 * Everything else is a sentence saying why not.
 */
export function decidePush(project: Project, push: Push): PushDecision {
  if (push.deleted) {
    return {
      release: [],
      ignored: [`the push deleted ${push.ref}: there is nothing to release`],
    };
  }
  if (!push.ref.startsWith('refs/heads/')) {
    return {
      release: [],
      ignored: [
        `${push.ref} is not a branch: only pushes to an environment's branch are released`,
      ],
    };
  }
  const marker = push.headCommit && skipMarkerIn(push.headCommit.message);
  if (marker) {
    return {
      release: [],
      ignored: [
        `the head commit ${short(push.after)} says ${marker} in its message`,
      ],
    };
  }
  const branch = push.ref.slice('refs/heads/'.length);
  const following = project.environments.filter(e => e.branch === branch);
  if (!following.length) {
    const branches = project.environments
      .map(e => `${e.name} follows ${e.branch}`)
      .join(', ');
    return {
      release: [],
      ignored: [`no environment follows branch ${branch} (${branches})`],
    };
  }
  const unchanged = pathFilterReason(project, push);
  if (unchanged) return { release: [], ignored: [unchanged] };
  return {
    release: following.filter(e => e.autoDeploy),
    ignored: following
      .filter(e => !e.autoDeploy)
      .map(
        e =>
          `${e.name}: auto-deploy is off; turn it on to release every push to ${branch}`,
      ),
  };
}
