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

/**
 * Which of a project's environments a push releases: those following the pushed branch with
 * auto-deploy on. Everything else is a sentence saying why not.
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
