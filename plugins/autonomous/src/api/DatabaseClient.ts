import {
  Backup,
  BackupList,
  BackupSettings,
  DatabaseEvent,
  DatabaseInstance,
  DatabaseUser,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { DownloadedFile } from './AutonomousApi';
import {
  AutonomousDatabaseApi,
  DatabaseCredentials,
  DatabaseEngineList,
  ProvisionDatabaseRequest,
  RestoreBackupRequest,
  RestoreBackupResult,
} from './databaseTypes';
import { queryString } from './query';

const enc = encodeURIComponent;

/** How the client sends a request: with the user's credentials, throwing on a non-2xx. */
export interface DatabaseRequests {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  send(method: string, path: string, body?: unknown): Promise<Response>;
  download(path: string, fallbackName: string): Promise<DownloadedFile>;
}

/** The database routes of the autonomous backend; the AutonomousClient hands them out. */
export class DatabaseClient implements AutonomousDatabaseApi {
  constructor(private readonly requests: DatabaseRequests) {}

  listDatabaseEngines(entityRef: string): Promise<DatabaseEngineList> {
    return this.requests.json(
      'GET',
      `/database-engines${queryString({ entityRef })}`,
    );
  }

  async listDatabases(entityRef: string): Promise<DatabaseInstance[]> {
    const answer = await this.requests.json<{
      items: DatabaseInstance[];
    }>('GET', `/databases${queryString({ entityRef })}`);
    return answer.items;
  }

  provisionDatabase(
    request: ProvisionDatabaseRequest,
  ): Promise<DatabaseInstance> {
    return this.requests.json('POST', '/databases', request);
  }

  getDatabase(id: string): Promise<DatabaseInstance> {
    return this.requests.json('GET', databasePath(id));
  }

  async listDatabaseEvents(id: string): Promise<DatabaseEvent[]> {
    const answer = await this.requests.json<{ items: DatabaseEvent[] }>(
      'GET',
      `${databasePath(id)}/events`,
    );
    return answer.items;
  }

  getDatabaseCredentials(
    id: string,
    user: DatabaseUser,
  ): Promise<DatabaseCredentials> {
    return this.requests.json(
      'GET',
      `${databasePath(id)}/credentials${queryString({ user })}`,
    );
  }

  deleteDatabase(
    id: string,
    request: { confirm: string; finalBackup: boolean },
  ): Promise<DatabaseInstance> {
    return this.requests.json('DELETE', databasePath(id), request);
  }

  listBackups(id: string): Promise<BackupList> {
    return this.requests.json('GET', `${databasePath(id)}/backups`);
  }

  createBackup(id: string): Promise<Backup> {
    return this.requests.json('POST', `${databasePath(id)}/backups`);
  }

  downloadBackup(id: string, backupId: string): Promise<DownloadedFile> {
    return this.requests.download(
      `${backupPath(id, backupId)}/download`,
      `backup-${backupId}.dump`,
    );
  }

  async deleteBackup(id: string, backupId: string): Promise<void> {
    await this.requests.send('DELETE', backupPath(id, backupId));
  }

  restoreBackup(
    id: string,
    backupId: string,
    request: RestoreBackupRequest,
  ): Promise<RestoreBackupResult> {
    return this.requests.json(
      'POST',
      `${backupPath(id, backupId)}/restore`,
      request,
    );
  }

  getBackupSettings(id: string): Promise<BackupSettings> {
    return this.requests.json('GET', `${databasePath(id)}/backup-settings`);
  }

  updateBackupSettings(
    id: string,
    settings: BackupSettings,
  ): Promise<BackupSettings> {
    return this.requests.json(
      'PUT',
      `${databasePath(id)}/backup-settings`,
      settings,
    );
  }
}

function databasePath(id: string): string {
  return `/databases/${enc(id)}`;
}

function backupPath(id: string, backupId: string): string {
  return `${databasePath(id)}/backups/${enc(backupId)}`;
}
