import {
  ProjectStatus,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/**
 * Which releases run now, per environment. The environments' status can be older than the
 * history (it is read from the cluster through a cache): a release the history shows as
 * healthy, newer than the one the status says runs, has replaced it. Without this the page
 * offers "Roll back" on the release that has just gone live.
 */
export function runningReleases(
  status: ProjectStatus,
  history: Release[] = [],
): Map<string, Release> {
  const running = new Map<string, Release>();
  for (const environment of status.environments) {
    const reported = environment.runningRelease;
    const newestHealthy = history
      .filter(
        r =>
          r.environment === environment.environment && r.status === 'healthy',
      )
      .reduce<Release | undefined>(
        (newest, r) =>
          !newest || Date.parse(r.createdAt) > Date.parse(newest.createdAt)
            ? r
            : newest,
        undefined,
      );
    if (
      newestHealthy &&
      (!reported ||
        Date.parse(newestHealthy.createdAt) > Date.parse(reported.createdAt))
    ) {
      running.set(environment.environment, newestHealthy);
    } else if (reported) {
      running.set(environment.environment, reported);
    }
  }
  return running;
}
