import {
  Backup,
  BackupList,
  BackupSettings,
  DatabaseEngine,
  DatabaseEngineInfo,
  DatabaseEvent,
  DatabaseInstance,
  DatabaseUser,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { DownloadedFile } from './AutonomousApi';

/*
 * The database routes' requests and answers as the page uses them (the API document,
 * plugins/autonomous-backend/src/schema/openapi.yaml, is their definition). The records
 * themselves (instances, events, backups, settings) are the common package's.
 */

/** The engines on offer for an entity. @public */
export interface DatabaseEngineList {
  /** The entity's `autonomous.dev/database-engine` annotation, when it has one. */
  defaultEngine?: DatabaseEngine;
  items: DatabaseEngineInfo[];
}

/** What to provision; the backend fills in what is absent from the entity and config. @public */
export interface ProvisionDatabaseRequest {
  entityRef: string;
  engine?: DatabaseEngine;
  version?: string;
  storageGi?: number;
  mode?: 'single' | 'cluster';
  name?: string;
}

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
  instance?: DatabaseInstance;
  backup?: Backup;
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
  listDatabases(entityRef: string): Promise<DatabaseInstance[]>;
  /** Start provisioning; answers at once with the accepted instance. */
  provisionDatabase(
    request: ProvisionDatabaseRequest,
  ): Promise<DatabaseInstance>;
  getDatabase(id: string): Promise<DatabaseInstance>;
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
  ): Promise<DatabaseInstance>;
  listBackups(id: string): Promise<BackupList>;
  /** Start a backup now. */
  createBackup(id: string): Promise<Backup>;
  /** The dump as a file, read with the user's credentials. */
  downloadBackup(id: string, backupId: string): Promise<DownloadedFile>;
  deleteBackup(id: string, backupId: string): Promise<void>;
  restoreBackup(
    id: string,
    backupId: string,
    request: RestoreBackupRequest,
  ): Promise<RestoreBackupResult>;
  getBackupSettings(id: string): Promise<BackupSettings>;
  updateBackupSettings(
    id: string,
    settings: BackupSettings,
  ): Promise<BackupSettings>;
}
