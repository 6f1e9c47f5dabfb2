import { DatabaseListing, ProjectListing } from '../../api/dashboardTypes';

/** A row of the Autonomous page: a project or a database, in the same words. */
export interface ListingRow {
  id: string;
  entityRef: string;
  name: string;
  kind: 'monolith' | 'microservice' | 'database';
  owner?: string;
  environments: string[];
  /** What runs in each environment: `production: 1.4.2`, or the engine for a database. */
  running: string[];
  /** The last release's status, or the database's. */
  status?: string;
  /** The release shown as the last one, for the link to it. */
  lastReleaseId?: string;
}

export function projectRow(project: ProjectListing): ListingRow {
  return {
    id: project.entityRef,
    entityRef: project.entityRef,
    name: project.title ?? project.entityRef.split('/').pop()!,
    kind: project.kind,
    owner: project.owner,
    environments: project.environments.map(e => e.name),
    running: project.environments.map(
      e => `${e.name}: ${e.running ? e.running.version : 'nothing yet'}`,
    ),
    status: project.lastRelease?.status,
    lastReleaseId: project.lastRelease?.id,
  };
}

export function databaseRow(database: DatabaseListing): ListingRow {
  return {
    id: database.id,
    entityRef: database.entityRef,
    name: database.name,
    kind: 'database',
    owner: database.owner,
    environments: [database.environment],
    running: [
      `${database.environment}: ${database.engine} ${database.version}`,
    ],
    status: database.status,
  };
}

export interface ListingFilters {
  owner?: string;
  kind?: string;
  status?: string;
  environment?: string;
}

export function matches(row: ListingRow, filters: ListingFilters): boolean {
  return (
    (!filters.owner || row.owner === filters.owner) &&
    (!filters.kind || row.kind === filters.kind) &&
    (!filters.status || row.status === filters.status) &&
    (!filters.environment || row.environments.includes(filters.environment))
  );
}

/** The distinct values of a column, sorted, for a filter's choices. */
export function choices(
  rows: ListingRow[],
  pick: (row: ListingRow) => Array<string | undefined>,
): string[] {
  return [
    ...new Set(rows.flatMap(pick).filter((v): v is string => !!v)),
  ].sort();
}
