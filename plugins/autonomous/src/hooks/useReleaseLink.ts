import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { useCallback } from 'react';
import { RELEASE_SEARCH_PARAM } from '../components/ReleasesContent/ReleasesContent';

/** Where the Releases tab is mounted on entity pages (the README's wiring uses this path). */
export const RELEASES_TAB_PATH = 'autonomous-releases';

/** Links to a release, opened in its project's Releases tab, and to the entity's page. */
export function useEntityLinks() {
  const entityRoute = useRouteRef(entityRouteRef);
  const entityLink = useCallback(
    (entityRef: string) => {
      const { kind, namespace, name } = parseEntityRef(entityRef);
      return entityRoute({ kind, namespace, name });
    },
    [entityRoute],
  );
  const releaseLink = useCallback(
    (release: { entityRef: string; id: string }) =>
      `${entityLink(
        release.entityRef,
      )}/${RELEASES_TAB_PATH}?${RELEASE_SEARCH_PARAM}=${encodeURIComponent(
        release.id,
      )}`,
    [entityLink],
  );
  return { entityLink, releaseLink };
}
