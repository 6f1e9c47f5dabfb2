export { useLiveAsync } from './useLiveAsync';
export type { LiveAsyncState } from './useLiveAsync';
export { useProject } from './useProject';
export { useProjectStatus } from './useProjectStatus';
export { useRelease } from './useRelease';
export { useReleaseHistory } from './useReleaseHistory';
export {
  RELEASE_POLL_INTERVAL_MS,
  useLiveReleaseUpdates,
} from './useLiveReleaseUpdates';
export { useReleasePermissions } from './useReleasePermissions';
export type {
  ActionPermission,
  ReleasePermissions,
} from './useReleasePermissions';
export { MAX_SHOWN_LOG_CHARS, useLogText } from './useLogText';
export type { LogSource, LogTextState } from './useLogText';
