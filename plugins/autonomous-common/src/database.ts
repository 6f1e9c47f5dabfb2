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
 * A delete whose final backup fails goes back to ready (or failed), nothing removed.
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
  deleting: ['deleted', 'failed', 'ready'],
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
  /** The owner user. */
  username?: string;
  /** The read-only user (SELECT only, enforced by the database). */
  readonlyUsername?: string;
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
  /** The backup this instance was provisioned from, when it was. */
  restoreFromBackupId?: string;
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
export const BACKUP_TRIGGERS = ['manual', 'scheduled', 'final'] as const;
/** Who asked for a backup: a user, the schedule, or a delete (the final one). @public */
export type BackupTrigger = (typeof BACKUP_TRIGGERS)[number];

/** @public */
export interface Backup {
  id: string;
  databaseId: string;
  trigger: BackupTrigger;
  status: BackupStatus;
  /** The engine whose dump tool made it (the instance may be gone). */
  engine?: DatabaseEngine;
  /** Where the dump is kept (object store or volume path); no credentials. */
  location?: string;
  /** The name a download is saved under. */
  fileName?: string;
  sizeBytes?: number;
  message?: string;
  requestedBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** From the Job's start to its end. */
  durationMs?: number;
}

/** @public */
export interface BackupSettings {
  /** Cron expression (five fields, as a Kubernetes CronJob reads it); absent when scheduled backups are off. */
  schedule?: string;
  /** How many scheduled backups are kept; older ones are deleted from storage. */
  retentionCount: number;
}

/** The schedule as the backups list shows it, with the alert when a scheduled backup did not run or failed. @public */
export interface BackupScheduleState {
  schedule?: string;
  retentionCount: number;
  lastScheduledAt?: string;
  nextScheduledAt?: string;
  missed?: { expectedAt: string; message: string };
}

/** @public */
export interface BackupList {
  items: Backup[];
  schedule: BackupScheduleState;
}

/** A backup being restored into an instance. @public */
export interface DatabaseRestore {
  id: string;
  backupId: string;
  databaseId: string;
  target: 'new' | 'in-place';
  /** In place: the backup of the state before the restore, kept. */
  safetyBackupId?: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  message?: string;
  requestedBy: string;
  createdAt: string;
  finishedAt?: string;
}

/** The steps of a database's timeline, in the order provisioning and deletion run them. @public */
export const DATABASE_EVENT_STEPS = [
  'accepted',
  'namespace',
  'credentials',
  'secret',
  'application',
  'readiness',
  'users',
  'restore',
  'profile',
  'ready',
  'deleting',
  'final-backup',
  'deleted',
] as const;
/** @public */
export type DatabaseEventStep = (typeof DATABASE_EVENT_STEPS)[number];

/** One line of a database's timeline: a step started, succeeded or failed, with a sentence. @public */
export interface DatabaseEvent {
  id: string;
  databaseId: string;
  step: DatabaseEventStep;
  status: 'started' | 'succeeded' | 'failed' | 'info';
  message: string;
  createdAt: string;
}

/** What `GET /database-engines` says of one engine. @public */
export interface DatabaseEngineInfo {
  engine: DatabaseEngine;
  title: string;
  versions: string[];
  defaultVersion: string;
  defaultStorageGi: number;
  modes: Array<{
    mode: 'single' | 'cluster';
    available: boolean;
    reason?: string;
  }>;
}

/** Why cluster mode is refused, as the API and the page say it. @public */
export const DATABASE_CLUSTER_MODE_UNAVAILABLE =
  'Cluster mode is not available: only single-instance databases can be provisioned';

/** Which user's credentials to read. @public */
export type DatabaseUser = 'owner' | 'readonly';

/**
 * The signals channel of an entity's databases: the instance's readers hear
 * `{ type: 'database', databaseId }` or `{ type: 'backup', databaseId, backupId }`.
 * @public
 */
export function databaseSignalChannel(entityRef: string): string {
  return `autonomous:databases:${entityRef.toLocaleLowerCase('en-US')}`;
}

/** @public */
export type DatabaseSignal =
  | { type: 'database'; databaseId: string }
  | { type: 'backup'; databaseId: string; backupId: string };
