import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  Project,
  ReleasePage,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/**
 * Which page of a project's release history to read.
 *
 * @public
 */
export interface ListReleasesOptions {
  /** How many releases per page, 1 to 100; the backend defaults to 20. */
  limit?: number;
  /** The `nextCursor` of the previous page; absent for the newest page. */
  cursor?: string;
}

/**
 * Reads Autonomous projects and their releases from the autonomous backend.
 *
 * @public
 */
export interface AutonomousApi {
  /** The project behind a catalog entity; fails with a 404 when the entity is not one. */
  getProject(entityRef: string | CompoundEntityRef): Promise<Project>;

  /** One page of the entity's releases, newest first. */
  listReleases(
    entityRef: string | CompoundEntityRef,
    options?: ListReleasesOptions,
  ): Promise<ReleasePage>;

  /** One release with every stage it went through. */
  getRelease(id: string): Promise<ReleaseWithEvents>;
}

/** @public */
export const autonomousApiRef = createApiRef<AutonomousApi>().with({
  id: 'plugin.autonomous.service',
  pluginId: 'autonomous',
});
