import { useApi } from '@backstage/core-plugin-api';
import { useEffect } from 'react';
import { autonomousApiRef } from '../api';
import { ListingOptions, ListingPage } from '../api/dashboardTypes';
import { useLiveAsync } from './useLiveAsync';

/** The page reads at most this many items of each listing, in pages of LISTING_PAGE_SIZE. */
export const MAX_LISTED = 2000;
export const LISTING_PAGE_SIZE = 200;
/** How often the listing is read again in the background while the page is open. */
export const LISTING_REFRESH_MS = 30_000;

async function readAll<T>(
  page: (options: ListingOptions) => Promise<ListingPage<T>>,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page({ limit: LISTING_PAGE_SIZE, cursor });
    items.push(...answer.items);
    cursor = answer.nextCursor;
  } while (cursor && items.length < MAX_LISTED);
  return { items, truncated: cursor !== undefined };
}

/** The projects and databases the user may read, read again every 30 s while shown. */
export function useListings() {
  const api = useApi(autonomousApiRef);
  const listings = useLiveAsync(async () => {
    const [projects, databases] = await Promise.all([
      readAll(options => api.listProjectListings(options)),
      readAll(options => api.listDatabaseListings(options)),
    ]);
    return { projects, databases };
  }, [api]);
  const { refresh } = listings;
  useEffect(() => {
    const timer = setInterval(refresh, LISTING_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  return listings;
}
