import { ReleaseStatus } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { orUndefined, toIso, toIsoOrUndefined } from './timestamps';

/** A release as portal search indexes it: what it shipped, where, how it went and when. */
export interface ReleaseIndexItem {
  id: string;
  entityRef: string;
  environment: string;
  version: string;
  status: ReleaseStatus;
  trigger: string;
  requestedBy: string;
  commitSha?: string;
  commitMessage?: string;
  createdAt: string;
  finishedAt?: string;
  updatedAt: string;
}

type ReleaseRow = {
  seq: number | string;
  id: string;
  entity_ref: string;
  environment: string;
  version: string;
  status: string;
  trigger: string;
  requested_by: string;
  commit_sha: string | null;
  commit_message: string | null;
  created_at: unknown;
  finished_at: unknown;
  updated_at: unknown;
};

const RELEASE_COLUMNS = [
  'seq',
  'id',
  'entity_ref',
  'environment',
  'version',
  'status',
  'trigger',
  'requested_by',
  'commit_sha',
  'commit_message',
  'created_at',
  'finished_at',
  'updated_at',
];

function toItem(row: ReleaseRow): ReleaseIndexItem {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    status: row.status as ReleaseStatus,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    commitSha: orUndefined(row.commit_sha),
    commitMessage: orUndefined(row.commit_message),
    createdAt: toIso(row.created_at),
    finishedAt: toIsoOrUndefined(row.finished_at),
    updatedAt: toIso(row.updated_at),
  };
}

/**
 * Where a release index page stopped: inside a project (`seq` and how many of its releases
 * were given), or after it (`seq` absent).
 */
export interface ReleaseIndexPosition {
  entityRef: string;
  seq?: number;
  given: number;
}

export interface ReleaseIndexPage {
  items: ReleaseIndexItem[];
  next?: ReleaseIndexPosition;
}

/** A database instance as portal search shows it: no connection details, no credentials. */
export interface DatabaseIndexItem {
  id: string;
  entityRef: string;
  name: string;
  engine: string;
  version: string;
  environment: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface DatabaseIndexPage {
  items: DatabaseIndexItem[];
  /** The id of the last instance when more may follow. */
  next?: string;
}

/** What portal search needs to know of a project's releases beyond its entity. */
export interface ProjectReleaseFacts {
  /** Environments saved in the portal, in their order; empty when the annotations decide. */
  savedEnvironments: string[];
  lastRelease?: ReleaseIndexItem;
  /** Per environment, the newest release that became healthy: what runs there. */
  running: Record<string, ReleaseIndexItem>;
}

type DatabaseRow = {
  id: string;
  entity_ref: string;
  name: string;
  engine: string;
  version: string;
  environment: string;
  status: string;
  created_at: unknown;
  updated_at: unknown;
};

/**
 * The reads behind the index routes that portal search pages through. Each page costs a few
 * index seeks per project, never a scan of the whole history: the releases of a project are
 * read newest first through `releases_history_idx` and cut at the per-project bound, so a
 * portal with a million releases hands search only the recent ones.
 */
export class IndexQueries {
  constructor(private readonly db: Knex) {}

  async releasesPage(options: {
    after?: ReleaseIndexPosition;
    limit: number;
    perProject: number;
  }): Promise<ReleaseIndexPage> {
    const { limit, perProject } = options;
    const items: ReleaseIndexItem[] = [];
    let position = options.after;
    while (items.length < limit) {
      const inside =
        position?.seq !== undefined && position.given < perProject
          ? position
          : undefined;
      const entityRef =
        inside?.entityRef ?? (await this.nextReleasedEntity(position));
      if (entityRef === undefined) return { items };
      const given = inside?.given ?? 0;
      const want = Math.min(perProject - given, limit - items.length);
      const query = this.db('releases')
        .select(RELEASE_COLUMNS)
        .where({ entity_ref: entityRef });
      if (inside) query.andWhere('seq', '<', inside.seq!);
      const rows: ReleaseRow[] = await query.orderBy('seq', 'desc').limit(want);
      items.push(...rows.map(toItem));
      const projectDone =
        rows.length < want || given + rows.length >= perProject;
      position = projectDone
        ? { entityRef, given: given + rows.length }
        : {
            entityRef,
            seq: Number(rows[rows.length - 1].seq),
            given: given + rows.length,
          };
    }
    // A full page: say where to go on, unless the last project was the last one.
    if (position?.seq === undefined) {
      const more = await this.nextReleasedEntity(position);
      if (more === undefined) return { items };
    }
    return { items, next: position };
  }

  /** The next entity with releases after the position's, in entity ref order. */
  private async nextReleasedEntity(
    after?: ReleaseIndexPosition,
  ): Promise<string | undefined> {
    const query = this.db('releases').select('entity_ref');
    if (after) query.where('entity_ref', '>', after.entityRef);
    const row = await query.orderBy('entity_ref', 'asc').first();
    return row?.entity_ref;
  }

  /** Database instances by id, deleted ones left out: search must not find what is gone. */
  async databasesPage(options: {
    afterId?: string;
    limit: number;
  }): Promise<DatabaseIndexPage> {
    const query = this.db<DatabaseRow>('database_instances')
      .select(
        'id',
        'entity_ref',
        'name',
        'engine',
        'version',
        'environment',
        'status',
        'created_at',
        'updated_at',
      )
      .whereNot('status', 'deleted');
    if (options.afterId !== undefined)
      query.andWhere('id', '>', options.afterId);
    const rows: DatabaseRow[] = await query
      .orderBy('id', 'asc')
      .limit(options.limit + 1);
    const page = rows.slice(0, options.limit);
    return {
      items: page.map(row => ({
        id: row.id,
        entityRef: row.entity_ref,
        name: row.name,
        engine: row.engine,
        version: row.version,
        environment: row.environment,
        status: row.status,
        createdAt: toIso(row.created_at),
        updatedAt: toIso(row.updated_at),
      })),
      next: rows.length > options.limit ? page[page.length - 1].id : undefined,
    };
  }

  /**
   * For each project: its saved environments, its last release, and the newest healthy
   * release of each environment. `environments` lists the names the entity's annotations
   * give, used when the portal saved none.
   */
  async projectFacts(
    projects: Array<{ entityRef: string; environments: string[] }>,
  ): Promise<Map<string, ProjectReleaseFacts>> {
    const refs = projects.map(p => p.entityRef);
    const saved = new Map<string, string[]>();
    if (refs.length) {
      const rows: Array<{ entity_ref: string; name: string }> = await this.db(
        'environments',
      )
        .select('entity_ref', 'name')
        .whereIn('entity_ref', refs)
        .orderBy([
          { column: 'entity_ref', order: 'asc' },
          { column: 'position', order: 'asc' },
        ]);
      for (const row of rows) {
        saved.set(row.entity_ref, [
          ...(saved.get(row.entity_ref) ?? []),
          row.name,
        ]);
      }
    }
    const facts = new Map<string, ProjectReleaseFacts>();
    for (const project of projects) {
      const savedEnvironments = saved.get(project.entityRef) ?? [];
      const environments = savedEnvironments.length
        ? savedEnvironments
        : project.environments;
      const last: ReleaseRow | undefined = await this.db('releases')
        .select(RELEASE_COLUMNS)
        .where({ entity_ref: project.entityRef })
        .orderBy('seq', 'desc')
        .first();
      const running: Record<string, ReleaseIndexItem> = {};
      if (last) {
        for (const environment of environments) {
          const row: ReleaseRow | undefined = await this.db('releases')
            .select(RELEASE_COLUMNS)
            .where({
              entity_ref: project.entityRef,
              environment,
              status: 'healthy',
            })
            .orderBy('seq', 'desc')
            .first();
          if (row) running[environment] = toItem(row);
        }
      }
      facts.set(project.entityRef, {
        savedEnvironments,
        lastRelease: last ? toItem(last) : undefined,
        running,
      });
    }
    return facts;
  }
}
