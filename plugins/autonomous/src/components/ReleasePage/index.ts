export { ReleasePageContext, useReleasePage } from './ReleasePageContext';
export type {
  ReleasePageContextValue,
  RunningReleases,
} from './ReleasePageContext';
export { announcementOf, useReleaseAnnouncer } from './releaseAnnouncements';
export type { ReleaseAnnouncer } from './releaseAnnouncements';
export { runningReleases } from './runningReleases';
export { isViewOnly, ViewOnlyNotice } from './ViewOnlyNotice';
export { ReleaseAnnouncements } from './ReleaseAnnouncements';
export { ownerRef, useOwnerTitle } from './useOwnerTitle';
export { RELEASE_SEARCH_PARAM, useOpenRelease } from './useOpenRelease';
export { ProjectEntityContent } from './ProjectEntityContent';
