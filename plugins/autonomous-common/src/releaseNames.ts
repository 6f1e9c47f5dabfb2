/*
 * How people tell releases apart: the project's release number (#12), the commit the build
 * built, and where a redeploy or rollback came from. The pages, the CLI and the backend's
 * messages all say it the same way through these functions.
 */

/** What the names below read from a release. @public */
export interface NamedRelease {
  number: number;
  trigger: string;
  sourceReleaseNumber?: number;
  sourceReleaseId?: string;
}

/** `#12`. @public */
export function releaseLabel(release: { number: number }): string {
  return `#${release.number}`;
}

/** `#12 main-12`: how pages, dialogs and the CLI name one release. @public */
export function releaseName(release: {
  number: number;
  version: string;
}): string {
  return `${releaseLabel(release)} ${release.version}`;
}

/**
 * "rollback to #12" or "redeploy of #12" for a release that deploys another one's image;
 * undefined for a release that built its own.
 * @public
 */
export function releaseOrigin(release: NamedRelease): string | undefined {
  if (!release.sourceReleaseId) return undefined;
  const source =
    release.sourceReleaseNumber === undefined
      ? 'an earlier release'
      : `#${release.sourceReleaseNumber}`;
  return release.trigger === 'rollback'
    ? `rollback to ${source}`
    : `redeploy of ${source}`;
}

/**
 * The version name of a release that builds an image, which is also its image tag: what was
 * asked for (the short commit or the ref) and the release number, e.g. `main-12`,
 * `3f2a9c1d0b4e-12`. A tag allows `[A-Za-z0-9_.-]`, at most 128 characters, not starting with
 * `.` or `-`.
 * @public
 */
export function releaseVersion(
  number: number,
  source: { commitSha?: string; ref?: string },
): string {
  const base = (source.commitSha?.slice(0, 12) ?? source.ref ?? '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 40);
  return `${base || 'release'}-${number}`;
}

/** The first line of a commit message, trimmed; undefined when there is none. @public */
export function commitSubjectOf(
  message: string | null | undefined,
): string | undefined {
  const subject = message?.split('\n')[0].trim();
  return subject ? subject : undefined;
}

/** The short form of a commit SHA people read and type (7 characters, git's default). @public */
export function shortCommitSha(sha: string): string {
  return sha.slice(0, 7);
}
