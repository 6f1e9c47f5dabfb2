/** @public */
export const DATABASE_ENGINES = [
  'postgresql',
  'mysql',
  'mongodb',
  'redis',
  'cassandra',
  'oracle',
  'mssql',
] as const;
/** @public */
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** @public */
export function isDatabaseEngine(value: unknown): value is DatabaseEngine {
  return DATABASE_ENGINES.includes(value as DatabaseEngine);
}

/** Display names, as users write them. @public */
export const DATABASE_ENGINE_TITLES: Readonly<Record<DatabaseEngine, string>> =
  {
    postgresql: 'PostgreSQL',
    mysql: 'MySQL',
    mongodb: 'MongoDB',
    redis: 'Redis',
    cassandra: 'Cassandra',
    oracle: 'Oracle Database',
    mssql: 'Microsoft SQL Server',
  };

/**
 * accepted -> preparing -> installing -> checking -> ready | failed; ready -> deleting -> deleted.
 * @public
 */
export const DATABASE_STATUSES = [
  'accepted',
  'preparing',
  'installing',
  'checking',
  'ready',
  'failed',
  'deleting',
  'deleted',
] as const;
/** @public */
export type DatabaseStatus = (typeof DATABASE_STATUSES)[number];

/** @public */
export const DATABASE_TRANSITIONS: Readonly<
  Record<DatabaseStatus, readonly DatabaseStatus[]>
> = {
  accepted: ['preparing', 'failed', 'deleting'],
  preparing: ['installing', 'failed', 'deleting'],
  installing: ['checking', 'failed', 'deleting'],
  checking: ['ready', 'failed', 'deleting'],
  ready: ['deleting'],
  failed: ['preparing', 'deleting'],
  deleting: ['deleted', 'failed'],
  deleted: [],
};

/** @public */
export function canDatabaseTransition(
  from: DatabaseStatus,
  to: DatabaseStatus,
): boolean {
  return DATABASE_TRANSITIONS[from].includes(to);
}

/** Only single-instance mode is offered; cluster mode is shown as unavailable. @public */
export const DATABASE_MODES = ['single'] as const;
/** @public */
export type DatabaseMode = (typeof DATABASE_MODES)[number];

/** How to reach a ready database. The password is never here: it stays in Vault. @public */
export interface ConnectionProfile {
  host: string;
  port: number;
  database?: string;
  username?: string;
}

/** @public */
export interface DatabaseInstance {
  id: string;
  /** The catalog Resource that stands for it, e.g. `resource:default/orders-db`. */
  entityRef: string;
  name: string;
  engine: DatabaseEngine;
  version: string;
  mode: DatabaseMode;
  environment: string;
  namespace: string;
  storageGi: number;
  status: DatabaseStatus;
  statusMessage?: string;
  /** Shown once ready. */
  connection?: ConnectionProfile;
  /** The Vault path holding the credentials; the value is only read by the credentials endpoint. */
  credentialsPath: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** @public */
export const BACKUP_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'deleted',
] as const;
/** @public */
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

/** @public */
export interface Backup {
  id: string;
  databaseId: string;
  trigger: 'manual' | 'scheduled';
  status: BackupStatus;
  /** Where the dump is kept (object store or volume path); no credentials. */
  location?: string;
  sizeBytes?: number;
  message?: string;
  requestedBy: string;
  createdAt: string;
  finishedAt?: string;
}

/** @public */
export interface BackupSettings {
  /** Cron expression; absent when scheduled backups are off. */
  schedule?: string;
  retentionDays: number;
}
