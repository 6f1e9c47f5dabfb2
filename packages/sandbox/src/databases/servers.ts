import { rm } from 'node:fs/promises';
import type { S3Store } from '../s3/store.ts';
import { BackupLocations } from './backupLocations.ts';
import type { RealEngine } from './engine.ts';
import { MysqlEngine } from './mysql.ts';
import { realEngineOf, resolveDatabaseOptions } from './options.ts';
import type {
  RealEngineName,
  ResolvedDatabaseOptions,
  SandboxDatabaseOptions,
} from './options.ts';
import { PostgresEngine } from './postgresql.ts';
import { RedisEngine } from './redis.ts';

/** A database a chart asked for on a real server, in this run of the sandbox. */
interface ChartDatabase {
  app: string;
  engine: RealEngine;
  database: string;
  state: 'provisioning' | 'ready' | 'failed';
  done: Promise<void>;
}

/** What a database chart's values and Secret say about its database and owner. */
export interface ChartCredentials {
  database: string;
  owner: string;
  password: string;
}

/**
 * The real database servers the sandbox uses: which engines are real (configured and
 * reachable), the databases charts have created on them in this run, and the work in flight.
 * An unreachable server or a failed provisioning makes the engine (or that database)
 * simulated, with a line in the sandbox log; it never stops the sandbox.
 */
export class DatabaseServers {
  readonly options: ResolvedDatabaseOptions;
  readonly locations: BackupLocations;
  private readonly engines = new Map<RealEngineName, RealEngine>();
  private readonly reachable = new Map<RealEngineName, boolean>();
  private readonly charts = new Map<string, ChartDatabase>();
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly log: (message: string) => void;

  constructor(
    options: SandboxDatabaseOptions | undefined,
    s3: S3Store,
    log: (message: string) => void,
  ) {
    this.options = resolveDatabaseOptions(options);
    this.locations = new BackupLocations(s3, this.options.backupDir);
    this.log = log;
    const engines = {
      postgresql: PostgresEngine,
      mysql: MysqlEngine,
      redis: RedisEngine,
    };
    for (const e of this.options.real) {
      this.engines.set(e, new engines[e](this.options.servers[e]));
    }
  }

  /** Checks each configured server once; an unreachable one makes its engine simulated. */
  async probe(): Promise<void> {
    await Promise.all(
      [...this.engines.values()].map(async engine => {
        try {
          await engine.ping();
          this.reachable.set(engine.engine, true);
        } catch (e) {
          this.fallBack(engine, e);
        }
      }),
    );
  }

  fallBack(engine: RealEngine, error: unknown) {
    if (this.reachable.get(engine.engine) === false) return;
    this.reachable.set(engine.engine, false);
    this.log(
      `sandbox databases: ${engine.engine} server ${engine.address.host}:${
        engine.address.port
      } is unreachable (${(error as Error)?.message ?? error}); ${
        engine.engine
      } databases are simulated from now on`,
    );
  }

  /** The real server that plays this chart or Job engine, when it is configured and reachable. */
  engineFor(engine: string): RealEngine | undefined {
    const name = realEngineOf(engine);
    if (!name || !this.reachable.get(name)) return undefined;
    return this.engines.get(name);
  }

  /** Engines and whether each is real, for the control API. */
  describe() {
    return {
      backupDir: this.options.backupDir,
      engines: Object.fromEntries(
        (['postgresql', 'mysql', 'redis'] as RealEngineName[]).map(e => [
          e,
          {
            configured: this.options.real.has(e),
            real: Boolean(this.reachable.get(e)),
            host: this.options.servers[e].host,
            port: this.options.servers[e].port,
          },
        ]),
      ),
      databases: [...this.charts.values()].map(c => ({
        application: c.app,
        engine: c.engine.engine,
        database: c.database,
        state: c.state,
      })),
    };
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * A chart application was applied: creates its database and owner on the real server
   * (once per application and database; a database left from an earlier run is replaced).
   * `onFailed` puts the Service back to the simulated form when that fails.
   */
  chartApplied(
    app: string,
    engine: RealEngine,
    credentials: ChartCredentials,
    onFailed: () => void,
  ) {
    const existing = this.charts.get(app);
    if (
      existing &&
      existing.database === credentials.database &&
      existing.engine === engine &&
      existing.state !== 'failed'
    ) {
      return;
    }
    const holder = [...this.charts.values()].find(
      c =>
        c.app !== app &&
        c.engine === engine &&
        c.database === credentials.database &&
        c.state !== 'failed',
    );
    if (holder) {
      this.log(
        `sandbox databases: ${engine.engine} database "${credentials.database}" of application ${app} is already application ${holder.app}'s; both use it`,
      );
    }
    const entry: ChartDatabase = {
      app,
      engine,
      database: credentials.database,
      state: 'provisioning',
      done: Promise.resolve(),
    };
    entry.done = this.track(
      (async () => {
        try {
          if (!holder) {
            const lines = await engine.provision(
              credentials.database,
              credentials.owner,
              credentials.password,
            );
            this.log(
              `sandbox databases: application ${app}: ${lines.join('; ')}`,
            );
          }
          entry.state = 'ready';
        } catch (e) {
          entry.state = 'failed';
          this.log(
            `sandbox databases: application ${app}: ${
              engine.engine
            } database "${credentials.database}" could not be created (${
              (e as Error)?.message ?? e
            }); the application's database is simulated`,
          );
          onFailed();
        }
      })(),
    );
    this.charts.set(app, entry);
  }

  /** The application's database is being created: its pods are not Ready yet. */
  isProvisioning(app: string): boolean {
    return this.charts.get(app)?.state === 'provisioning';
  }

  isReal(app: string): boolean {
    const c = this.charts.get(app);
    return Boolean(c && c.state !== 'failed');
  }

  /**
   * The real database a Job works on: one a chart created in this run (waiting for its
   * creation to end), else undefined (the Job is simulated; nothing else is touched).
   */
  async databaseFor(
    engine: RealEngine,
    database: string,
  ): Promise<ChartDatabase | undefined> {
    const found = [...this.charts.values()].find(
      c => c.engine === engine && c.database === database,
    );
    if (!found) return undefined;
    await found.done;
    return found.state === 'ready' ? found : undefined;
  }

  /** The chart application was deleted with its resources: drops its database and users. */
  chartDeleted(app: string) {
    const entry = this.charts.get(app);
    if (!entry) return;
    this.charts.delete(app);
    const shared = [...this.charts.values()].some(
      c => c.engine === entry.engine && c.database === entry.database,
    );
    if (shared) return;
    this.track(
      (async () => {
        await entry.done;
        if (entry.state !== 'ready') return;
        try {
          const lines = await entry.engine.drop(entry.database);
          this.log(
            `sandbox databases: application ${app} deleted: ${lines.join(
              '; ',
            )}`,
          );
        } catch (e) {
          this.log(
            `sandbox databases: application ${app} deleted, but ${
              entry.engine.engine
            } database "${entry.database}" could not be dropped: ${
              (e as Error)?.message ?? e
            }`,
          );
        }
      })(),
    );
  }

  /** Removes the backup directory when it is a temporary one the sandbox made. */
  async removeTemporary() {
    if (this.options.temporaryBackupDir) {
      await rm(this.options.backupDir, { recursive: true, force: true });
    }
  }

  /**
   * Waits for every database operation in flight (creations, drops, Jobs), at most `timeoutMs`:
   * one stuck on a lock held by a client of the test must not keep the sandbox from stopping.
   */
  async settle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.log(
          `sandbox databases: ${this.inFlight.size} database operation(s) still running after ${timeoutMs} ms; not waiting for them`,
        );
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise(resolve => {
          timer = setTimeout(resolve, left);
        }),
      ]);
      clearTimeout(timer);
    }
  }
}
