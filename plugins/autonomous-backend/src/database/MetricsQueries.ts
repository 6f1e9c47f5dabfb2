import {
  ReleaseStatus,
  ReleaseTrigger,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Knex } from 'knex';
import { digestKey, MetricsRelease } from '../metrics/deliveryMetrics';
import { ReleaseRow } from './ReleaseStore';
import { orUndefined } from './timestamps';

/** A project and the environment its metrics count. */
export interface MetricsScope {
  entityRef: string;
  environment: string;
}

/** The release columns the metrics read, times as epoch milliseconds. */
type Row = Pick<
  ReleaseRow,
  | 'seq'
  | 'id'
  | 'number'
  | 'entity_ref'
  | 'environment'
  | 'version'
  | 'status'
  | 'trigger'
  | 'image_ref'
> & {
  created_ms: unknown;
  finished_ms: unknown;
  committed_ms: unknown;
  degraded_ms: unknown;
  ran_before: number | boolean | null;
};

/** Keeps `IN (…)` lists within every engine's limit on bound parameters. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

/**
 * Epoch milliseconds from what the query gives: a number (PostgreSQL's epoch, SQLite's stored
 * milliseconds), or text for a timestamp SQLite holds as written by something other than knex.
 */
function toMs(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const text = String(value);
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text);
}

const DEGRADED_ONCE: ReleaseStatus[] = [
  'degraded',
  'rolling-back',
  'rolled-back',
  'failed',
];

/**
 * The reads behind the delivery metrics: the releases of some project environments from a
 * time on (a range of `releases_metrics_cover_idx` per project), when those that turned degraded
 * did, and which redeployed digests were healthy there before.
 */
export class MetricsQueries {
  constructor(private readonly db: Knex) {}

  /** The environments saved in the portal per project, in promotion order. */
  async savedEnvironments(
    entityRefs: string[],
  ): Promise<Map<string, string[]>> {
    const saved = new Map<string, string[]>();
    for (const part of chunks(entityRefs)) {
      const rows: Array<{ entity_ref: string; name: string }> = await this.db(
        'environments',
      )
        .select('entity_ref', 'name')
        .whereIn('entity_ref', part)
        .orderBy([
          { column: 'entity_ref', order: 'asc' },
          { column: 'position', order: 'asc' },
        ]);
      for (const row of rows) {
        const names = saved.get(row.entity_ref);
        if (names) names.push(row.name);
        else saved.set(row.entity_ref, [row.name]);
      }
    }
    return saved;
  }

  /**
   * The releases of the project environments created from `from` on, each with when it turned
   * degraded (if it did) and, for a redeploy, whether its digest was healthy in the same
   * project environment before `from` (a redeploy of one is a rollback, not a change): one
   * statement per chunk of scopes, answered from `releases_metrics_cover_idx` alone, with the release
   * events and the earlier digests looked up per row in SQL (`release_events_release_idx`,
   * `releases_digest_idx`), and times read as numbers instead of dates parsed per row.
   */
  async releasesSince(
    scopes: MetricsScope[],
    from: Date,
  ): Promise<{ releases: MetricsRelease[]; earlierDigests: Set<string> }> {
    // Environments per project: the statement reads every environment asked of any project.
    const wanted = new Map<string, Set<string>>();
    for (const s of scopes) {
      const environments = wanted.get(s.entityRef) ?? new Set<string>();
      environments.add(s.environment);
      wanted.set(s.entityRef, environments);
    }
    const releases: MetricsRelease[] = [];
    const earlierDigests = new Set<string>();
    for (const part of chunks(scopes)) {
      const rows: Row[] = await this.readRows(part, from);
      for (const row of rows) {
        if (!wanted.get(row.entity_ref)?.has(row.environment)) continue;
        const release: MetricsRelease = {
          id: row.id,
          seq: Number(row.seq),
          number: Number(row.number ?? 0),
          entityRef: row.entity_ref,
          environment: row.environment,
          version: row.version,
          status: row.status as ReleaseStatus,
          trigger: row.trigger as ReleaseTrigger,
          imageRef: orUndefined(row.image_ref),
          createdAt: toMs(row.created_ms)!,
          finishedAt: toMs(row.finished_ms),
          committedAt: toMs(row.committed_ms),
        };
        const degradedAt = toMs(row.degraded_ms);
        if (degradedAt !== undefined) release.degradedAt = degradedAt;
        releases.push(release);
        if (row.ran_before && row.image_ref) {
          earlierDigests.add(
            digestKey(row.entity_ref, row.environment, row.image_ref),
          );
        }
      }
    }
    return { releases, earlierDigests };
  }

  private async readRows(part: MetricsScope[], from: Date): Promise<Row[]> {
    if (this.db.client.config.client !== 'pg') {
      return this.releaseRows(this.db, part, from);
    }
    // The per-row lookups make the planner's estimate large enough for PostgreSQL to compile
    // the statement (jit_above_cost), which took 15–60 ms of a 100 ms read; the read itself
    // is a short index-only range, so it runs without.
    return this.db.transaction(async tx => {
      await tx.raw('SET LOCAL jit = off');
      return this.releaseRows(tx, part, from);
    });
  }

  private async releaseRows(
    db: Knex,
    part: MetricsScope[],
    from: Date,
  ): Promise<Row[]> {
    const pg = db.client.config.client === 'pg';
    // PostgreSQL hands back epoch milliseconds as a float8, which node-postgres reads as a
    // number; SQLite stores what knex wrote, a Date's milliseconds.
    const ms = (sql: string) =>
      pg ? `round(extract(epoch from ${sql}) * 1000)::float8` : sql;
    const degradedOnce = DEGRADED_ONCE.map(() => '?').join(', ');
    return db('releases as r')
      .select(
        'r.seq',
        'r.id',
        'r.number',
        'r.entity_ref',
        'r.environment',
        'r.version',
        'r.status',
        'r.trigger',
        'r.image_ref',
        db.raw(`${ms('r.created_at')} as created_ms`),
        db.raw(`${ms('r.finished_at')} as finished_ms`),
        db.raw(`${ms('r.committed_at')} as committed_ms`),
        db.raw(
          `case when r.status in (${degradedOnce}) then ${ms(
            `(select min(e.at) from release_events e where e.release_id = r.id and e.to_status = 'degraded')`,
          )} end as degraded_ms`,
          DEGRADED_ONCE,
        ),
        db.raw(
          `case when r.trigger = 'redeploy' and r.image_ref is not null then
             exists (select 1 from releases h
                     where h.entity_ref = r.entity_ref and h.environment = r.environment
                       and h.image_ref = r.image_ref and h.status = 'healthy'
                       and h.created_at < ?)
           end as ran_before`,
          [from],
        ),
      )
      .whereIn('r.entity_ref', [...new Set(part.map(s => s.entityRef))])
      .whereIn('r.environment', [...new Set(part.map(s => s.environment))])
      .where('r.created_at', '>=', from);
  }
}
