import {
  DeliveryMetrics,
  MetricsReleasesPage,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  AutonomousDashboardApi,
  DatabaseListing,
  ListingOptions,
  ListingPage,
  MetricsQuery,
  MetricsReleasesQuery,
  ProjectListing,
} from './dashboardTypes';
import { queryString } from './query';

/** How the client sends a request: with the user's credentials, throwing on a non-2xx. */
export interface DashboardRequests {
  json<T>(method: string, path: string): Promise<T>;
}

const pageQuery = (options: ListingOptions) =>
  queryString({
    limit: options.limit !== undefined ? String(options.limit) : undefined,
    cursor: options.cursor || undefined,
  });

/** The listing and metrics routes of the autonomous backend; the AutonomousClient hands them out. */
export class DashboardClient implements AutonomousDashboardApi {
  constructor(private readonly requests: DashboardRequests) {}

  listProjectListings(
    options: ListingOptions = {},
  ): Promise<ListingPage<ProjectListing>> {
    return this.requests.json('GET', `/index/projects${pageQuery(options)}`);
  }

  listDatabaseListings(
    options: ListingOptions = {},
  ): Promise<ListingPage<DatabaseListing>> {
    return this.requests.json('GET', `/index/databases${pageQuery(options)}`);
  }

  getDeliveryMetrics(query: MetricsQuery): Promise<DeliveryMetrics> {
    return this.requests.json(
      'GET',
      `/metrics${queryString({
        entityRef: query.entityRef,
        owner: query.owner,
        environment: query.environment,
        window: query.window !== undefined ? String(query.window) : undefined,
        bucket: query.bucket,
      })}`,
    );
  }

  listMetricsReleases(
    query: MetricsReleasesQuery,
  ): Promise<MetricsReleasesPage> {
    return this.requests.json(
      'GET',
      `/metrics/releases${queryString({
        entityRef: query.entityRef,
        owner: query.owner,
        environment: query.environment,
        window: query.window !== undefined ? String(query.window) : undefined,
        bucket: query.bucket,
        figure: query.figure,
        bucketStart: query.bucketStart,
        limit: query.limit !== undefined ? String(query.limit) : undefined,
        cursor: query.cursor,
      })}`,
    );
  }
}
