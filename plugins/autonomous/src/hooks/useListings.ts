import {
  databaseSignalChannel,
  isReleaseInFlight,
  releaseSignalChannel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useMemo } from 'react';
import { autonomousApiRef } from '../api';
import { ListingOptions, ListingPage } from '../api/dashboardTypes';
import { useLiveAsync } from './useLiveAsync';
import { READER_RENEW_MS } from './useLiveChannel';
import { useLiveChannels } from './useLiveChannels';

/** The page reads at most this many items of each listing, in pages of LISTING_PAGE_SIZE. */
export const MAX_LISTED = 2000;
export const LISTING_PAGE_SIZE = 200;
/** How often the listing is read again without signals (the guest, apps without the plugin). */
export const LISTING_REFRESH_MS = 30_000;
/** ...and how often while a listed release is on its way, so its moves show as they happen. */
export const LISTING_IN_FLIGHT_REFRESH_MS = 5_000;

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

/**
 * The projects and databases the user may read, kept current while shown. Reading the listing
 * makes the user one of the readers of every entity in it, so the backend's release and
 * database signals for those entities (and no others) reach the page, which reads again; it
 * also reads again every few minutes to stay a reader. Without signals it polls.
 */
export function useListings() {
  const api = useApi(autonomousApiRef);
  const listings = useLiveAsync(async () => {
    const [projects, databases] = await Promise.all([
      readAll(options => api.listProjectListings(options)),
      readAll(options => api.listDatabaseListings(options)),
    ]);
    return { projects, databases };
  }, [api]);
  const { refresh, value } = listings;

  const channels = useMemo(
    () =>
      value
        ? [
            ...value.projects.items.map(p => releaseSignalChannel(p.entityRef)),
            ...value.databases.items.map(d =>
              databaseSignalChannel(d.entityRef),
            ),
          ]
        : [],
    [value],
  );
  const signalled = useLiveChannels(channels, refresh);
  const inFlight = !!value?.projects.items.some(
    p => p.lastRelease && isReleaseInFlight(p.lastRelease.status),
  );
  let interval = READER_RENEW_MS;
  if (!signalled) {
    interval = inFlight ? LISTING_IN_FLIGHT_REFRESH_MS : LISTING_REFRESH_MS;
  }
  useEffect(() => {
    const timer = setInterval(refresh, interval);
    return () => clearInterval(timer);
  }, [refresh, interval]);
  return { ...listings, signalled };
}
