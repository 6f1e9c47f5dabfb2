/**
 * A name that may not become part of an upstream URL: empty, `.` or `..`. Named InputError
 * so that Backstage's error handler answers 400 with this message.
 *
 * @public
 */
export class UnsafePathSegmentError extends Error {
  readonly name = 'InputError';
}

/**
 * One segment of an upstream URL path, percent-encoded.
 *
 * encodeURIComponent leaves `.` and `..` as they are, and URL resolution then removes them
 * with the segment before: ArgoCD's `/api/v1/applications/..` is `/api/v1/`, Vault's
 * `secret/data/a/../../sys/policy` is `sys/policy`. A name from an annotation or a request
 * must never reach another resource that way, so those segments are refused.
 *
 * @param value - the raw segment, e.g. an application name
 * @param what - what the value names, for the error message
 * @public
 */
export function encodePathSegment(value: string, what: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new UnsafePathSegmentError(
      `${what} "${value}" is not allowed: it must not be empty, "." or ".."`,
    );
  }
  return encodeURIComponent(value);
}

/**
 * A slash-separated path (a Vault secret path, a Jenkins folder path), each segment encoded
 * by encodePathSegment. Empty segments from leading, trailing or doubled slashes are dropped.
 *
 * @public
 */
export function encodePathSegments(path: string, what: string): string[] {
  const segments = path.split('/').filter(Boolean);
  for (const segment of segments) {
    if (segment === '.' || segment === '..') {
      throw new UnsafePathSegmentError(
        `${what} "${path}" is not allowed: it must not contain "." or ".." segments`,
      );
    }
  }
  return segments.map(encodeURIComponent);
}
