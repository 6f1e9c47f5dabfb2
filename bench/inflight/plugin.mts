/*
 * The release orchestrator and its stores, loaded from the backend plugin's TypeScript
 * sources through the Backstage CLI's Node transform (CommonJS require hook), as the backend
 * runs them. Only the parts used here are typed.
 */
import type { Knex } from 'knex';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface Settings {
  pollIntervalMs: number;
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  [key: string]: unknown;
}

export interface Entity {
  metadata: { name: string; annotations?: Record<string, string> };
}

export interface Orchestrator {
  /** One turn: claims due releases in batches and moves each; resolves to how many it claimed. */
  tick(): Promise<number>;
  stop(): void;
}

export interface WorkStore {
  claimDue(limit: number, leaseMs: number): Promise<unknown[]>;
  nextDue(): Promise<Date | undefined>;
}

export interface ReleaseStore {
  createRelease(input: Record<string, unknown>): Promise<{ id: string }>;
  getReleaseWithEvents(
    id: string,
  ): Promise<{ status: string; events: { message: string }[] } | undefined>;
}

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  child(meta: object): Logger;
}

export interface UpstreamClients {
  get(system: 'jenkins'): {
    upsertJob(
      folder: string,
      name: string,
      configXml: string,
    ): Promise<unknown>;
  };
  get(system: 'harbor'): { ensureProject(name: string): Promise<unknown> };
  get(system: 'argocd'): {
    upsertApplication(input: Record<string, unknown>): Promise<unknown>;
  };
}

export interface Plugin {
  knex(config: Knex.Config): Knex;
  migrate(db: Knex): Promise<void>;
  stores(db: Knex): { work: WorkStore; releases: ReleaseStore };
  orchestrator(options: {
    work: WorkStore;
    releases: ReleaseStore;
    clients: UpstreamClients;
    resolveProject(
      entityRef: string,
    ): Promise<{ project: unknown; entity: Entity }>;
    settings: Settings;
    logger: Logger;
  }): Orchestrator;
  defaultSettings: Settings;
  /** Fresh (uncached) clients of every system, pointed at the sandbox with the default timeouts. */
  clients(sandboxUrl: string): UpstreamClients;
  projectFromEntity(
    entity: Entity,
  ): { ok: true; project: unknown } | { ok: false; reason: string };
  argocdApplicationFor(
    appName: string,
    environment: string,
    count: number,
  ): string;
}

export function loadPlugin(repo: string): Plugin {
  const backend = createRequire(
    join(repo, 'plugins/autonomous-backend/package.json'),
  );
  backend(backend.resolve('@backstage/cli-node/config/nodeTransform.cjs'));
  const knexFactory = backend('knex') as (config: Knex.Config) => Knex;
  const { ReleaseOrchestrator } = backend(
    './src/orchestrator/ReleaseOrchestrator',
  );
  const { DEFAULT_ORCHESTRATOR_SETTINGS } = backend('./src/orchestrator/types');
  const { ReleaseWorkStore } = backend('./src/database/ReleaseWorkStore');
  const { DatabaseReleaseStore } = backend('./src/database/ReleaseStore');
  const { migrateTestDatabase } = backend('./src/database/migrations');
  const { projectFromEntity, argocdApplicationFor } = backend(
    './src/service/projectFromEntity',
  );
  const { sandboxConfigData } = backend('./src/__testUtils__/sandboxProject');
  const { UpstreamClients } = backend(
    '@autonomous-dev/backstage-plugin-autonomous-node',
  );
  const { ConfigReader } = backend('@backstage/config');
  return {
    knex: knexFactory,
    migrate: migrateTestDatabase,
    stores: db => ({
      work: new ReleaseWorkStore(db),
      releases: new DatabaseReleaseStore(db),
    }),
    orchestrator: options => new ReleaseOrchestrator(options),
    defaultSettings: { ...DEFAULT_ORCHESTRATOR_SETTINGS },
    clients(url) {
      // The clients' own defaults (timeout, retries), not the tests' short ones.
      const { autonomous } = sandboxConfigData(url);
      const { upstreams: _testSettings, ...systems } = autonomous;
      return UpstreamClients.fromConfig(
        new ConfigReader({ autonomous: systems }),
        { readCache: false },
      );
    },
    projectFromEntity,
    argocdApplicationFor,
  };
}
