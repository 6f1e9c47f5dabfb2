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

/** The release columns the metrics read. */
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
  | 'created_at'
  | 'finished_at'
  | 'committed_at'
>;

/** Keeps `IN (…)` lists within every engine's limit on bound parameters. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

/** Epoch milliseconds from what either engine returns for a timestamp column. */
function toMs(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}

const DEGRADED_ONCE: ReleaseStatus[] = [
  'degraded',
  'rolling-back',
  'rolled-back',
  'failed',
];

/**
 * The reads behind the delivery metrics: the releases of some project environments from a
 * time on (a range of `releases_metrics_idx` per project), when those that turned degraded
 * did, and which digests were healthy there before.
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

  async releasesSince(
    scopes: MetricsScope[],
    from: Date,
  ): Promise<MetricsRelease[]> {
    const wanted = new Set(
      scopes.map(s => `${s.entityRef}\u0000${s.environment}`),
    );
    const releases: MetricsRelease[] = [];
    for (const part of chunks(scopes)) {
      const rows: Row[] = await this.db('releases')
        .select(
          'seq',
          'id',
          'number',
          'entity_ref',
          'environment',
          'version',
          'status',
          'trigger',
          'image_ref',
          'created_at',
          'finished_at',
          'committed_at',
        )
        .whereIn('entity_ref', [...new Set(part.map(s => s.entityRef))])
        .whereIn('environment', [...new Set(part.map(s => s.environment))])
        .where('created_at', '>=', from);
      for (const row of rows) {
        if (!wanted.has(`${row.entity_ref}\u0000${row.environment}`)) continue;
        releases.push({
          id: row.id,
          seq: Number(row.seq),
          number: Number(row.number ?? 0),
          entityRef: row.entity_ref,
          environment: row.environment,
          version: row.version,
          status: row.status as ReleaseStatus,
          trigger: row.trigger as ReleaseTrigger,
          imageRef: orUndefined(row.image_ref),
          createdAt: toMs(row.created_at)!,
          finishedAt: toMs(row.finished_at),
          committedAt: toMs(row.committed_at),
        });
      }
    }
    await this.addDegradedTimes(releases);
    return releases;
  }

  private async addDegradedTimes(releases: MetricsRelease[]): Promise<void> {
    const candidates = releases.filter(r => DEGRADED_ONCE.includes(r.status));
    const byId = new Map(candidates.map(r => [r.id, r]));
    for (const part of chunks(candidates.map(r => r.id))) {
      const rows: Array<{ release_id: string; at: unknown }> = await this.db(
        'release_events',
      )
        .select('release_id')
        .min({ at: 'at' })
        .whereIn('release_id', part)
        .andWhere('to_status', 'degraded')
        .groupBy('release_id');
      for (const row of rows) {
        const release = byId.get(row.release_id);
        if (release) release.degradedAt = toMs(row.at);
      }
    }
  }

  /**
   * Of the digests the releases given redeploy, those that were healthy in the same project
   * environment before `before`: a redeploy of one of them is a rollback, not a change.
   * Read through `releases_digest_idx`.
   */
  async earlierDigests(
    releases: MetricsRelease[],
    before: Date,
  ): Promise<Set<string>> {
    const redeployed = releases.filter(
      r => r.trigger === 'redeploy' && r.imageRef,
    );
    const found = new Set<string>();
    for (const part of chunks(redeployed)) {
      const rows: Array<{
        entity_ref: string;
        environment: string;
        image_ref: string;
      }> = await this.db('releases')
        .distinct('entity_ref', 'environment', 'image_ref')
        .whereIn('entity_ref', [...new Set(part.map(r => r.entityRef))])
        .whereIn('environment', [...new Set(part.map(r => r.environment))])
        .whereIn('image_ref', [...new Set(part.map(r => r.imageRef!))])
        .andWhere('status', 'healthy')
        .andWhere('created_at', '<', before);
      for (const row of rows) {
        found.add(digestKey(row.entity_ref, row.environment, row.image_ref));
      }
    }
    return found;
  }
}
