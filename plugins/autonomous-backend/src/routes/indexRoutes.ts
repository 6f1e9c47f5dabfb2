import { AUTONOMOUS_ANNOTATIONS } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  IndexQueries,
  ReleaseIndexItem as Release,
} from '../database/IndexQueries';
import { projectFromEntity } from '../service/projectFromEntity';
import { IndexReadAccess } from './indexAccess';
import {
  databaseIndexCursor,
  projectIndexCursor,
  releaseIndexCursor,
} from './indexCursor';
import { parseInput, queryInteger } from './validation';

/** Index pages are read by a collator in a loop: larger than a history page, still bounded. */
export const INDEX_PAGE_SIZE = { default: 100, max: 500 } as const;
/** Releases per project in the index: search finds recent releases, not the whole history. */
export const INDEX_RELEASES_PER_PROJECT = { default: 10, max: 100 } as const;

const pageQuery = {
  limit: queryInteger({ min: 1, max: INDEX_PAGE_SIZE.max }).default(
    INDEX_PAGE_SIZE.default,
  ),
  cursor: z.string({ message: 'must be given once' }).optional(),
};
const listQuery = z.object(pageQuery).strict();
const releaseQuery = z
  .object({
    ...pageQuery,
    perProject: queryInteger({
      min: 1,
      max: INDEX_RELEASES_PER_PROJECT.max,
    }).default(INDEX_RELEASES_PER_PROJECT.default),
  })
  .strict();

/** A project as search indexes it: what it is, where it runs and how its last release went. */
export interface ProjectIndexItem {
  entityRef: string;
  kind: string;
  title?: string;
  description?: string;
  owner?: string;
  system?: string;
  lifecycle?: string;
  environments: Array<{
    name: string;
    running?: Pick<Release, 'id' | 'version' | 'status' | 'updatedAt'>;
  }>;
  lastRelease?: Pick<
    Release,
    'id' | 'environment' | 'version' | 'status' | 'createdAt' | 'updatedAt'
  >;
}

const releaseSummary = (r: Release) => ({
  id: r.id,
  environment: r.environment,
  version: r.version,
  status: r.status,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/**
 * The paged listings portal search indexes: projects, their recent releases and databases,
 * each item carrying its entity ref. A caller gets only the items of entities it may read.
 * A user who reads the project or database listing (the Autonomous page) becomes a reader of
 * the entities it was given, so their release and database signals reach the page.
 */
export function createIndexRouter(deps: {
  httpAuth: HttpAuthService;
  auth: AuthService;
  catalog: CatalogService;
  queries: IndexQueries;
  access: IndexReadAccess;
}): express.Router {
  const { httpAuth, auth, catalog, queries, access } = deps;
  const router = Router();

  const caller = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function onlyReadable<T extends { entityRef: string }>(
    credentials: BackstageCredentials,
    items: T[],
  ): Promise<T[]> {
    const readable = await access.readable(
      credentials,
      items.map(i => i.entityRef),
    );
    return items.filter(i => readable.has(i.entityRef));
  }

  router.get('/index/projects', async (req, res) => {
    const query = parseInput(listQuery, req.query, 'query');
    const credentials = await caller(req);
    // Asked before the catalog is read: a caller who may read nothing learns nothing.
    await access.readable(credentials, []);
    const own = { credentials: await auth.getOwnServiceCredentials() };
    const page = await catalog.queryEntities(
      query.cursor === undefined
        ? {
            filter: {
              [`metadata.annotations.${AUTONOMOUS_ANNOTATIONS.project}`]:
                CATALOG_FILTER_EXISTS,
            },
            limit: query.limit,
            totalItems: 'exclude',
          }
        : {
            cursor: projectIndexCursor.decode(query.cursor),
            limit: query.limit,
          },
      own,
    );
    const projects = page.items.flatMap(entity => {
      const read = projectFromEntity(entity);
      return read.ok ? [{ entity, project: read.project }] : [];
    });
    const facts = await queries.projectFacts(
      projects.map(({ project }) => ({
        entityRef: project.entityRef,
        environments: project.environments.map(e => e.name),
      })),
    );
    const items = projects.map(({ entity, project }): ProjectIndexItem => {
      const fact = facts.get(project.entityRef);
      const names = fact?.savedEnvironments.length
        ? fact.savedEnvironments
        : project.environments.map(e => e.name);
      return {
        entityRef: project.entityRef,
        kind: project.kind,
        title: project.title,
        description: entity.metadata.description,
        owner: project.owner,
        system: project.system,
        lifecycle: specString(entity, 'lifecycle'),
        environments: names.map(name => {
          const running = fact?.running[name];
          return {
            name,
            running: running && {
              id: running.id,
              version: running.version,
              status: running.status,
              updatedAt: running.updatedAt,
            },
          };
        }),
        lastRelease: fact?.lastRelease && releaseSummary(fact.lastRelease),
      };
    });
    const next = page.pageInfo.nextCursor;
    const readable = await onlyReadable(credentials, items);
    access.noteReaders(
      credentials,
      readable.map(p => p.entityRef),
    );
    res.json({
      items: readable,
      nextCursor: next ? projectIndexCursor.encode(next) : undefined,
    });
  });

  router.get('/index/releases', async (req, res) => {
    const query = parseInput(releaseQuery, req.query, 'query');
    const after =
      query.cursor === undefined
        ? undefined
        : releaseIndexCursor.decode(query.cursor);
    const credentials = await caller(req);
    await access.readable(credentials, []);
    const page = await queries.releasesPage({
      after,
      limit: query.limit,
      perProject: query.perProject,
    });
    res.json({
      items: await onlyReadable(credentials, page.items),
      nextCursor: page.next ? releaseIndexCursor.encode(page.next) : undefined,
    });
  });

  router.get('/index/databases', async (req, res) => {
    const query = parseInput(listQuery, req.query, 'query');
    const afterId =
      query.cursor === undefined
        ? undefined
        : databaseIndexCursor.decode(query.cursor);
    const credentials = await caller(req);
    await access.readable(credentials, []);
    const page = await queries.databasesPage({ afterId, limit: query.limit });
    const readable = await onlyReadable(credentials, page.items);
    access.noteReaders(
      credentials,
      readable.map(d => d.entityRef),
    );
    // The owner is the entity's: read from the catalog for the page at once.
    const refs = [...new Set(readable.map(d => d.entityRef))];
    const entities = refs.length
      ? await catalog.getEntitiesByRefs(
          { entityRefs: refs, fields: ['kind', 'metadata', 'spec.owner'] },
          { credentials: await auth.getOwnServiceCredentials() },
        )
      : { items: [] };
    const owners = new Map(
      entities.items.flatMap(e =>
        e ? [[stringifyEntityRef(e), specString(e, 'owner')] as const] : [],
      ),
    );
    res.json({
      items: readable.map(d => ({ ...d, owner: owners.get(d.entityRef) })),
      nextCursor: page.next ? databaseIndexCursor.encode(page.next) : undefined,
    });
  });

  return router;
}

function specString(entity: Entity, key: string): string | undefined {
  const value = entity.spec?.[key];
  return typeof value === 'string' ? value : undefined;
}
