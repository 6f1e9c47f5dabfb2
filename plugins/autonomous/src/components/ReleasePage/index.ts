export { ReleasePageContext, useReleasePage } from './ReleasePageContext';
export type {
  ReleasePageContextValue,
  RunningReleases,
} from './ReleasePageContext';
