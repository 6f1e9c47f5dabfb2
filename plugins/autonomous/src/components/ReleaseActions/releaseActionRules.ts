import {
  isReleaseInFlight,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { RunningReleases } from '../ReleasePage';

/** Which actions make sense for a release, whatever the user may do. */
export interface ReleaseActionAvailability {
  /** Deploy its image again: it has one, and it is not on its way somewhere now. */
  redeploy: boolean;
  /** Go back to it: it reached healthy once and is not what runs now. */
  rollback: boolean;
  /** Stop it: it is still in flight. */
  cancel: boolean;
}

export function releaseActionAvailability(
  release: Release,
  running: RunningReleases,
): ReleaseActionAvailability {
  const inFlight = isReleaseInFlight(release.status);
  let isRunning: boolean | undefined;
  if (running.state === 'known') {
    isRunning = running.ids.has(release.id);
  } else if (running.state === 'unknown') {
    // The cluster could not be read: offer it, the backend decides.
    isRunning = false;
  }
  return {
    redeploy: Boolean(release.imageRef) && !inFlight,
    rollback: release.status === 'healthy' && isRunning === false,
    cancel: inFlight,
  };
}
