import {
  DeliveryMetrics,
  MetricsBucket,
  MetricsFigure,
  MetricsReleasesPage,
  MetricsWindow,
  ProjectKind,
  ReleaseStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** A release as the project listing summarises it. @public */
export interface ProjectListingRelease {
  id: string;
  environment?: string;
  version: string;
  status: ReleaseStatus;
  createdAt?: string;
  updatedAt: string;
}

/** A project the user may read, with where it runs and how its last release went. @public */
export interface ProjectListing {
  entityRef: string;
  kind: ProjectKind;
  title?: string;
  description?: string;
  owner?: string;
  system?: string;
  lifecycle?: string;
  environments: Array<{ name: string; running?: ProjectListingRelease }>;
  lastRelease?: ProjectListingRelease;
}

/** A database instance the user may read; never its connection details. @public */
export interface DatabaseListing {
  id: string;
  entityRef: string;
  name: string;
  engine: string;
  version: string;
  environment: string;
  status: string;
  owner?: string;
  createdAt: string;
  updatedAt: string;
}

/** One page of a listing; pass `nextCursor` back for the next. @public */
export interface ListingPage<T> {
  items: T[];
  nextCursor?: string;
}

/** @public */
export interface ListingOptions {
  limit?: number;
  cursor?: string;
}

/** Whose delivery metrics: one project, or a team's projects. @public */
export type MetricsQuery = (
  | { entityRef: string; owner?: never }
  | { owner: string; entityRef?: never }
) & {
  window?: MetricsWindow;
  bucket?: MetricsBucket;
  /** Counts this environment instead of each project's production one. */
  environment?: string;
};

/** Which figure's releases, of which metrics, and which page. @public */
export type MetricsReleasesQuery = MetricsQuery & {
  figure: MetricsFigure;
  /** Only one bucket of the trend: its `start` as GET /metrics gives it. */
  bucketStart?: string;
  /** 1–500, 100 when left out. */
  limit?: number;
  cursor?: string;
};

/**
 * The routes behind the Autonomous page: the projects and databases the user may read, by
 * pages, and delivery metrics.
 *
 * @public
 */
export interface AutonomousDashboardApi {
  listProjectListings(
    options?: ListingOptions,
  ): Promise<ListingPage<ProjectListing>>;
  listDatabaseListings(
    options?: ListingOptions,
  ): Promise<ListingPage<DatabaseListing>>;
  getDeliveryMetrics(query: MetricsQuery): Promise<DeliveryMetrics>;
  /** One page of the releases behind a figure (the drill-down), newest first. */
  listMetricsReleases(
    query: MetricsReleasesQuery,
  ): Promise<MetricsReleasesPage>;
}
