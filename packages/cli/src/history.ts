import type {
  Release,
  ReleasePage,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { RELEASE_PAGE_SIZE } from './limits.ts';
import type { ApiClient } from './client.ts';
import type { EntityArgument } from './entity.ts';
import { projectPath } from './entity.ts';

/**
 * A project's releases, newest first, optionally of one environment. Pages are read lazily:
 * the next one is asked for only when the caller wants more than the current one held.
 * The history route has no environment filter, so that is applied here.
 */
export async function* releaseHistory(
  api: ApiClient,
  entity: EntityArgument,
  options: {
    environment?: string;
    /** How many to ask for in the next page; the route's maximum when absent. */
    pageSize?: () => number;
  } = {},
): AsyncGenerator<Release> {
  let cursor: string | undefined;
  do {
    const pageSize = Math.max(
      1,
      Math.min(
        options.pageSize?.() ?? RELEASE_PAGE_SIZE.max,
        RELEASE_PAGE_SIZE.max,
      ),
    );
    const page: ReleasePage = await api.get<ReleasePage>(
      `${projectPath(entity)}/releases`,
      { limit: String(pageSize), cursor },
    );
    for (const release of page.items) {
      if (!options.environment || release.environment === options.environment) {
        yield release;
      }
    }
    cursor = page.items.length > 0 ? page.nextCursor : undefined;
  } while (cursor);
}
