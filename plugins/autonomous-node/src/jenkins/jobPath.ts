import { encodePathSegments } from '../pathSegment';

/** `a/b/c` → `/job/a/job/b/job/c`, each segment URL-encoded. @public */
export function jenkinsJobPath(fullName: string): string {
  const segments = encodePathSegments(fullName, 'the Jenkins job name');
  if (segments.length === 0) {
    throw new Error('A Jenkins job name must not be empty');
  }
  return segments.map(s => `/job/${s}`).join('');
}
