import {
  BackupStatus,
  ConnectionProfile,
  DatabaseEngine,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { DownloadedFile } from './AutonomousApi';

/*
 * The database routes' answers as the page reads them (the API document,
 * plugins/autonomous-backend/src/schema/openapi.yaml, is their definition). Instances come
 * from the common package as they are; the rest is what the routes add around them.
 */

/** How to reach a ready database: host, port, database and both users' names. @public */
export interface DatabaseConnectionProfile extends ConnectionProfile {
  /** The read-only user's name; `username` is the owner. */
  readonlyUsername?: string;
}

/** An instance as the routes answer it. @public */
export type DatabaseInstanceDetails = DatabaseInstance & {
  connection?: DatabaseConnectionProfile;
  /** The backup this instance was provisioned from, when it was. */
  restoreFromBackupId?: string;
};

/** A way an engine can run; cluster mode is listed but not offered, with the reason. @public */
export interface DatabaseModeOption {
  mode: string;
  available: boolean;
  /** Why the mode cannot be chosen, in words for the form. */
  reason?: string;
}

/** One engine the portal can provision, with its versions and defaults. @public */
export interface DatabaseEngineOption {
  engine: DatabaseEngine;
  title: string;
  versions: string[];
  defaultVersion: string;
  defaultStorageGi: number;
  modes: DatabaseModeOption[];
}

/** The engines on offer for an entity. @public */
export interface DatabaseEngineList {
  /** The entity's `autonomous.dev/database-engine` annotation, when it has one. */
  defaultEngine?: DatabaseEngine;
  items: DatabaseEngineOption[];
}

/** A step of provisioning or deletion, with the sentence the page shows. @public */
export interface DatabaseEvent {
  id: string;
  databaseId: string;
  step: string;
  status: 'started' | 'succeeded' | 'failed' | 'info';
  message: string;
  createdAt: string;
}

/** What to provision; the backend fills in what is absent from the entity and config. @public */
export interface ProvisionDatabaseRequest {
  entityRef: string;
  engine?: DatabaseEngine;
  version?: string;
  storageGi?: number;
  mode?: string;
  name?: string;
}

/** A dump of a database. @public */
export interface DatabaseBackup {
  id: string;
  databaseId: string;
  trigger: 'manual' | 'scheduled' | 'final';
  status: BackupStatus;
  sizeBytes?: number;
  message?: string;
  requestedBy?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  engine?: DatabaseEngine;
  /** The name the download is saved under. */
  fileName?: string;
}

/** The backup schedule as it ran: when it last and next runs, and whether one was missed. @public */
export interface BackupSchedule {
  schedule?: string;
  retentionCount: number;
  lastScheduledAt?: string;
  nextScheduledAt?: string;
  missed?: { expectedAt: string; message: string };
}

/** A database's backups, newest first, and its schedule. @public */
export interface DatabaseBackupList {
  items: DatabaseBackup[];
  schedule: BackupSchedule;
}

/** When scheduled backups run and how many are kept. @public */
export interface DatabaseBackupSettings {
  /** Cron expression; absent when scheduled backups are off. */
  schedule?: string;
  retentionCount: number;
}

/** The two users every database gets. @public */
export type DatabaseUser = 'owner' | 'readonly';

/** A user's credentials, read from Vault when asked for. @public */
export interface DatabaseCredentials {
  username: string;
  password: string;
}

/** Where a backup is restored. @public */
export type RestoreBackupRequest =
  | { target: 'new'; name?: string }
  | { target: 'in-place'; confirm: string };

/** What a restore started: a new instance, or the backup being restored in place. @public */
export interface RestoreBackupResult {
  instance?: DatabaseInstanceDetails;
  backup?: DatabaseBackup;
}

/**
 * The database half of the Autonomous API: provisioning, credentials, backups and deletion
 * of the databases behind `Resource` entities of `spec.type: database`.
 *
 * @public
 */
export interface AutonomousDatabaseApi {
  /** The engines, versions and modes the portal offers for the entity. */
  listDatabaseEngines(entityRef: string): Promise<DatabaseEngineList>;
  /** The entity's instances, newest first, deleted ones included. */
  listDatabases(entityRef: string): Promise<DatabaseInstanceDetails[]>;
  /** Start provisioning; answers at once with the accepted instance. */
  provisionDatabase(
    request: ProvisionDatabaseRequest,
  ): Promise<DatabaseInstanceDetails>;
  getDatabase(id: string): Promise<DatabaseInstanceDetails>;
  /** The instance's provisioning and deletion steps, oldest first. */
  listDatabaseEvents(id: string): Promise<DatabaseEvent[]>;
  /** A user's password, read from Vault now; never cached. */
  getDatabaseCredentials(
    id: string,
    user: DatabaseUser,
  ): Promise<DatabaseCredentials>;
  /** Delete the instance, keeping a final backup unless told not to. */
  deleteDatabase(
    id: string,
    request: { confirm: string; finalBackup: boolean },
  ): Promise<DatabaseInstanceDetails>;
  listBackups(id: string): Promise<DatabaseBackupList>;
  /** Start a backup now. */
  createBackup(id: string): Promise<DatabaseBackup>;
  /** The dump as a file, read with the user's credentials. */
  downloadBackup(id: string, backupId: string): Promise<DownloadedFile>;
  deleteBackup(id: string, backupId: string): Promise<void>;
  restoreBackup(
    id: string,
    backupId: string,
    request: RestoreBackupRequest,
  ): Promise<RestoreBackupResult>;
  getBackupSettings(id: string): Promise<DatabaseBackupSettings>;
  updateBackupSettings(
    id: string,
    settings: DatabaseBackupSettings,
  ): Promise<DatabaseBackupSettings>;
}
