/*
 * The delivery metrics service and its queries, loaded from the backend plugin's TypeScript
 * sources through the Backstage CLI's Node transform (CommonJS require hook), as the backend
 * runs them. Only the parts used here are typed.
 */
import type { Knex } from 'knex';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface Entity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    annotations: Record<string, string>;
  };
  spec: { owner: string; type: string; lifecycle: string };
}

/** The figures the route answers with (only what the bench reads). */
export interface DeliveryMetrics {
  scope: { projects: unknown[] };
  deploymentFrequency: { n: number; N: number; deploymentDays: number };
  leadTime: { n: number; N: number; medianMs?: number; p90Ms?: number };
  changeFailureRate: { n: number; N: number; rate?: number };
  recoveryTime: { n: number; N: number; medianMs?: number };
  buckets: unknown[];
}

/** One page of GET /metrics/releases, before its cursor is encoded. */
export interface FigureReleases {
  items: Array<{ id: string }>;
  lastSeq?: number;
}

export interface MetricsService {
  forOwner(
    owner: string,
    request: { days: 7 | 30 | 90; bucket: 'day' | 'week' },
    readable: (refs: string[]) => Promise<Set<string>>,
  ): Promise<DeliveryMetrics>;
  releasesForOwner(
    owner: string,
    request: { days: 7 | 30 | 90; bucket: 'day' | 'week' },
    readable: (refs: string[]) => Promise<Set<string>>,
    page: {
      figure:
        | 'deploymentFrequency'
        | 'leadTime'
        | 'changeFailureRate'
        | 'recoveryTime';
      limit: number;
      beforeSeq?: number;
    },
  ): Promise<FigureReleases>;
}

export interface Plugin {
  knex(config: Knex.Config): Knex;
  migrate(db: Knex): Promise<void>;
  service(options: {
    db: Knex;
    entitiesOf(owner: string): Entity[];
    now: Date;
  }): MetricsService;
}

export function loadPlugin(repo: string): Plugin {
  const backend = createRequire(
    join(repo, 'plugins/autonomous-backend/package.json'),
  );
  backend(backend.resolve('@backstage/cli-node/config/nodeTransform.cjs'));
  const knexFactory = backend('knex') as (config: Knex.Config) => Knex;
  const { MetricsService } = backend('./src/metrics/MetricsService');
  const { MetricsQueries } = backend('./src/database/MetricsQueries');
  const { migrateTestDatabase } = backend('./src/database/migrations');
  return {
    knex: knexFactory,
    migrate: migrateTestDatabase,
    service: ({ db, entitiesOf, now }) =>
      new MetricsService({
        queries: new MetricsQueries(db),
        // The catalog's answer to the service's owner query: the team's entities, at once,
        // so the figures measure the metrics and their database, not the catalog.
        catalog: {
          async queryEntities(request: {
            filter?: Array<Record<string, string>>;
          }) {
            const owner = request.filter?.[0]?.['relations.ownedBy'] ?? '';
            return { items: entitiesOf(owner), totalItems: 0, pageInfo: {} };
          },
        },
        auth: {
          getOwnServiceCredentials: async () => ({
            $$type: '@backstage/BackstageCredentials',
            principal: { type: 'service', subject: 'plugin:autonomous' },
          }),
        },
        settings: { productionEnvironments: [] },
        now: () => now,
      }),
  };
}
