import { createContext, useContext } from 'react';
import {
  Release,
  ReleaseEvent,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ReleasePermissions } from '../../hooks';

/** What the page knows about which release runs where. */
export type RunningReleases =
  /** The status is still loading: whether a release runs is not known yet. */
  | { state: 'loading' }
  /** The status could not be read: every release may or may not be running. */
  | { state: 'unknown' }
  | {
      state: 'known';
      ids: ReadonlySet<string>;
      /** The release running in each environment, when one matches. */
      byEnvironment: ReadonlyMap<string, Release>;
    };

/** Shared by the Releases tab's parts: the strip, the history rows and the detail drawer. */
export interface ReleasePageContextValue {
  entityRef: string;
  /** The project's environments, in promotion order. */
  environments: string[];
  permissions: ReleasePermissions;
  running: RunningReleases;
  /** Show one release's details. */
  openRelease(id: string): void;
  /** Open the deploy dialog, with an environment chosen when given. */
  openDeploy(environment?: string): void;
  /** A release was started from the page: show it. */
  onReleaseStarted(release: Release): void;
  /** Something changed through the page: read the history and the status again. */
  refresh(): void;
  /** The latest sentence about a release's move, for the live region. */
  announcement: string;
  /** A release the page has read, when it has. */
  findRelease(id: string): Release | undefined;
  /** A part of the page has read these releases: announce the moves among them. */
  observeReleases(releases: Array<Release & { events?: ReleaseEvent[] }>): void;
}

export const ReleasePageContext = createContext<
  ReleasePageContextValue | undefined
>(undefined);

export function useReleasePage(): ReleasePageContextValue {
  const value = useContext(ReleasePageContext);
  if (!value) {
    throw new Error(
      'useReleasePage must be used inside the Releases tab (ReleasePageContext)',
    );
  }
  return value;
}
