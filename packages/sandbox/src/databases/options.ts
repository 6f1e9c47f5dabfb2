import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The engines the sandbox can run on a real server of the machine. */
export type RealEngineName = 'postgresql' | 'mysql' | 'redis';

export const REAL_ENGINE_NAMES: RealEngineName[] = [
  'postgresql',
  'mysql',
  'redis',
];

/** Where a real server listens and whom the sandbox connects as (an administrator). */
export interface DatabaseServerAddress {
  host: string;
  port: number;
  user?: string;
  password?: string;
}

export interface SandboxDatabaseOptions {
  /** Engines that run on a real server; the others stay simulated. Default none. */
  real?: RealEngineName[];
  /** Addresses of the real servers; default this machine's (see DEFAULT_DATABASE_SERVERS). */
  servers?: Partial<Record<RealEngineName, Partial<DatabaseServerAddress>>>;
  /**
   * The directory every PersistentVolumeClaim mounted in a database Job stands for: a Job
   * writing `file:///backups/x/y.dump` with the claim mounted at `/backups` writes
   * `<backupDir>/x/y.dump`. Default a new temporary directory.
   */
  backupDir?: string;
}

export const DEFAULT_DATABASE_SERVERS: Record<
  RealEngineName,
  DatabaseServerAddress
> = {
  postgresql: { host: '127.0.0.1', port: 5432, user: 'postgres' },
  mysql: { host: '127.0.0.1', port: 3306, user: 'root', password: '' },
  redis: { host: '127.0.0.1', port: 6379 },
};

/** Chart and Job engine names → the real server that plays them (MariaDB plays `mysql`). */
export function realEngineOf(engine: string): RealEngineName | undefined {
  switch (engine) {
    case 'postgresql':
    case 'postgres':
      return 'postgresql';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'redis':
    case 'valkey':
      return 'redis';
    default:
      return undefined;
  }
}

export interface ResolvedDatabaseOptions {
  real: Set<RealEngineName>;
  servers: Record<RealEngineName, DatabaseServerAddress>;
  backupDir: string;
  /** The backup directory is a temporary one the sandbox made. */
  temporaryBackupDir: boolean;
}

export function resolveDatabaseOptions(
  options: SandboxDatabaseOptions = {},
): ResolvedDatabaseOptions {
  const real = new Set<RealEngineName>();
  for (const e of options.real ?? []) {
    if (!REAL_ENGINE_NAMES.includes(e)) {
      throw new Error(
        `sandbox databases: "${e}" cannot run on a real server; use ${REAL_ENGINE_NAMES.join(
          ', ',
        )}`,
      );
    }
    real.add(e);
  }
  const servers = {} as Record<RealEngineName, DatabaseServerAddress>;
  for (const e of REAL_ENGINE_NAMES) {
    servers[e] = { ...DEFAULT_DATABASE_SERVERS[e], ...options.servers?.[e] };
  }
  return {
    real,
    servers,
    temporaryBackupDir: !options.backupDir,
    backupDir:
      options.backupDir ??
      mkdtempSync(join(tmpdir(), 'autonomous-sandbox-backups-')),
  };
}

function parseUrl(
  name: string,
  value: string | undefined,
): Partial<DatabaseServerAddress> | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: use e.g. postgres://user@host:port`);
  }
  return {
    host: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

/**
 * The database options from the environment: `SANDBOX_REAL_DATABASES=postgresql,mysql,redis`
 * (or `all`), `SANDBOX_POSTGRESQL_URL`, `SANDBOX_MYSQL_URL`, `SANDBOX_REDIS_URL` and
 * `SANDBOX_BACKUP_DIR`.
 */
export function databaseOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): SandboxDatabaseOptions {
  const list = (env.SANDBOX_REAL_DATABASES ?? '').trim();
  const real =
    list === 'all'
      ? REAL_ENGINE_NAMES
      : list
          .split(',')
          .map(s => s.trim())
          .filter(Boolean)
          .map(s => realEngineOf(s) ?? (s as RealEngineName));
  const servers: SandboxDatabaseOptions['servers'] = {};
  const pg = parseUrl('SANDBOX_POSTGRESQL_URL', env.SANDBOX_POSTGRESQL_URL);
  const my = parseUrl('SANDBOX_MYSQL_URL', env.SANDBOX_MYSQL_URL);
  const rd = parseUrl('SANDBOX_REDIS_URL', env.SANDBOX_REDIS_URL);
  if (pg) servers.postgresql = pg;
  if (my) servers.mysql = my;
  if (rd) servers.redis = rd;
  return {
    real,
    servers,
    ...(env.SANDBOX_BACKUP_DIR ? { backupDir: env.SANDBOX_BACKUP_DIR } : {}),
  };
}
