import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { RELEASE_PAGE_SIZE } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../api';
import { useLiveAsync } from './useLiveAsync';

/**
 * Walks an entity's release history one page at a time.
 *
 * The backend pages by keyset cursors, which only lead forward (to older releases), so going
 * back means remembering the cursor that fetched every page seen so far.
 */
export function useReleaseHistory(
  entityRef: string,
  pageSize: number = RELEASE_PAGE_SIZE.default,
) {
  const api = useApi(autonomousApiRef);
  // cursors[i] fetched page i + 1; the newest page has no cursor.
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    setCursors([undefined]);
  }, [entityRef, pageSize]);

  const page = useLiveAsync(
    () => api.listReleases(entityRef, { limit: pageSize, cursor }),
    [api, entityRef, pageSize, cursor],
  );

  const nextCursor = page.loading ? undefined : page.value?.nextCursor;
  const nextPage = useCallback(() => {
    if (nextCursor) {
      setCursors(previous => [...previous, nextCursor]);
    }
  }, [nextCursor]);
  const previousPage = useCallback(() => {
    setCursors(previous =>
      previous.length > 1 ? previous.slice(0, -1) : previous,
    );
  }, []);
  const firstPage = useCallback(() => {
    setCursors(previous => (previous.length > 1 ? [undefined] : previous));
  }, []);

  return {
    releases: page.value?.items,
    loading: page.loading,
    error: page.error,
    staleError: page.staleError,
    retry: page.retry,
    refresh: page.refresh,
    pageNumber: cursors.length,
    hasNextPage: Boolean(nextCursor),
    hasPreviousPage: cursors.length > 1,
    nextPage,
    previousPage,
    firstPage,
  };
}
