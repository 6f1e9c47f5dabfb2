import {
  DATABASE_ENGINE_TITLES,
  isDatabaseEngine,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { IndexableDocument } from '@backstage/plugin-search-common';

/** Fields every Autonomous document carries, so result items can show them alike. */
interface AutonomousDocumentBase extends IndexableDocument {
  entityRef: string;
  /** Release or database status; for a project, its last release's. */
  status?: string;
  /** Where: the release's or database's environment; for a project, its last release's. */
  environment?: string;
  /** When, as an ISO 8601 time: the last change of the release, database or last release. */
  updatedAt?: string;
  owner?: string;
}

/** @public */
export interface AutonomousProjectDocument extends AutonomousDocumentBase {
  /** monolith or microservice. */
  projectKind: string;
  lifecycle?: string;
  system?: string;
  /** The project's environments, in order, comma-separated. */
  environments: string;
  /** What runs where: `production 1.4.2, staging —`. */
  running: string;
  lastReleaseVersion?: string;
}

/** @public */
export interface AutonomousReleaseDocument extends AutonomousDocumentBase {
  releaseId: string;
  version: string;
  status: string;
  environment: string;
  requestedBy?: string;
  createdAt: string;
  finishedAt?: string;
}

/** @public */
export interface AutonomousDatabaseDocument extends AutonomousDocumentBase {
  databaseId: string;
  engine: string;
  version?: string;
  status: string;
  environment: string;
}

/** What the Autonomous backend's index routes answer (the API document's shapes). */
export interface IndexedProject {
  entityRef: string;
  kind: string;
  title?: string;
  description?: string;
  owner?: string;
  system?: string;
  lifecycle?: string;
  environments: Array<{
    name: string;
    running?: { id: string; version: string; status: string };
  }>;
  lastRelease?: {
    id: string;
    environment: string;
    version: string;
    status: string;
    createdAt: string;
    updatedAt?: string;
  };
}

export interface IndexedRelease {
  id: string;
  entityRef: string;
  environment: string;
  version: string;
  status: string;
  trigger?: string;
  requestedBy?: string;
  commitSha?: string;
  commitMessage?: string;
  createdAt: string;
  finishedAt?: string;
  updatedAt?: string;
}

export interface IndexedDatabase {
  id: string;
  entityRef: string;
  name: string;
  engine: string;
  version?: string;
  environment: string;
  status: string;
  owner?: string;
  updatedAt?: string;
}

/** The entity page, written the way the catalog collator writes its locations. */
function entityPage(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind,
  )}/${encodeURIComponent(name)}`.toLowerCase();
}

const nameOf = (entityRef: string) => parseEntityRef(entityRef).name;
const words = (...parts: Array<string | undefined>) =>
  parts.filter(Boolean).join(' · ');

export function projectDocument(
  project: IndexedProject,
): AutonomousProjectDocument {
  const name = nameOf(project.entityRef);
  const running = project.environments
    .map(e => `${e.name} ${e.running?.version ?? '—'}`)
    .join(', ');
  const last = project.lastRelease;
  return {
    title: project.title ?? name,
    text: words(
      project.description,
      `${name}, ${project.kind}`,
      `runs ${running}`,
      last &&
        `last release ${last.version} ${last.status} in ${last.environment}`,
    ),
    // The project's Releases tab, not the entity page: the catalog's document of the same
    // entity has that location, and the Lunr engine keeps documents by location across types.
    location: `${entityPage(project.entityRef)}/autonomous-releases`,
    entityRef: project.entityRef,
    projectKind: project.kind,
    owner: project.owner,
    lifecycle: project.lifecycle,
    system: project.system,
    environments: project.environments.map(e => e.name).join(', '),
    running,
    status: last?.status,
    environment: last?.environment,
    updatedAt: last?.updatedAt ?? last?.createdAt,
    lastReleaseVersion: last?.version,
    authorization: { resourceRef: project.entityRef },
  };
}

export function releaseDocument(
  release: IndexedRelease,
): AutonomousReleaseDocument {
  const name = nameOf(release.entityRef);
  return {
    title: `${name} ${release.version} to ${release.environment}`,
    text: words(
      `release of ${name}: ${release.status}`,
      release.commitMessage,
      release.commitSha?.slice(0, 12),
      release.requestedBy && `by ${release.requestedBy}`,
    ),
    location: `${entityPage(
      release.entityRef,
    )}/autonomous-releases?release=${encodeURIComponent(release.id)}`,
    entityRef: release.entityRef,
    releaseId: release.id,
    version: release.version,
    status: release.status,
    environment: release.environment,
    requestedBy: release.requestedBy,
    createdAt: release.createdAt,
    finishedAt: release.finishedAt,
    updatedAt: release.updatedAt ?? release.createdAt,
    authorization: { resourceRef: release.entityRef },
  };
}

export function databaseDocument(
  database: IndexedDatabase,
): AutonomousDatabaseDocument {
  const engine = isDatabaseEngine(database.engine)
    ? DATABASE_ENGINE_TITLES[database.engine]
    : database.engine;
  return {
    title: `${database.name} (${engine})`,
    text: words(
      `${engine} ${database.version ?? ''} database of ${nameOf(
        database.entityRef,
      )}`.replace(/\s+/g, ' '),
      database.status,
      database.environment,
      database.owner && `owned by ${database.owner}`,
    ),
    location: `${entityPage(
      database.entityRef,
    )}/database?database=${encodeURIComponent(database.id)}`,
    entityRef: database.entityRef,
    databaseId: database.id,
    engine: database.engine,
    version: database.version,
    status: database.status,
    environment: database.environment,
    owner: database.owner,
    updatedAt: database.updatedAt,
    authorization: { resourceRef: database.entityRef },
  };
}
