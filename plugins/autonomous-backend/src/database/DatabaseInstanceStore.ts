import {
  canDatabaseTransition,
  DatabaseEngine,
  DatabaseInstance,
  DatabaseMode,
  DatabaseStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { orUndefined, toIso } from './timestamps';

/** What a caller decides about a new database; the store sets id, status and times. */
export type NewDatabaseInstance = Pick<
  DatabaseInstance,
  | 'entityRef'
  | 'name'
  | 'engine'
  | 'version'
  | 'mode'
  | 'environment'
  | 'namespace'
  | 'storageGi'
  | 'credentialsPath'
  | 'createdBy'
> &
  Partial<Pick<DatabaseInstance, 'restoreFromBackupId'>>;

export interface DatabaseInstanceStore {
  createInstance(input: NewDatabaseInstance): Promise<DatabaseInstance>;
  getInstance(id: string): Promise<DatabaseInstance | undefined>;
  /** Newest first, deleted ones included. */
  listForEntity(entityRef: string): Promise<DatabaseInstance[]>;
  setStatus(
    id: string,
    to: DatabaseStatus,
    change?: {
      message?: string;
      connection?: DatabaseInstance['connection'];
    },
  ): Promise<DatabaseInstance>;
}

type InstanceRow = {
  id: string;
  entity_ref: string;
  name: string;
  engine: string;
  version: string;
  mode: string;
  environment: string;
  namespace: string;
  storage_gi: number;
  status: string;
  status_message: string | null;
  host: string | null;
  port: number | null;
  database_name: string | null;
  username: string | null;
  credentials_path: string;
  readonly_username?: string | null;
  restore_from_backup_id?: string | null;
  backup_schedule: string | null;
  backup_retention_days: number;
  created_by: string;
  created_at: unknown;
  updated_at: unknown;
};

function toInstance(row: InstanceRow): DatabaseInstance {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    name: row.name,
    engine: row.engine as DatabaseEngine,
    version: row.version,
    mode: row.mode as DatabaseMode,
    environment: row.environment,
    namespace: row.namespace,
    storageGi: row.storage_gi,
    status: row.status as DatabaseStatus,
    statusMessage: orUndefined(row.status_message),
    connection:
      row.host && row.port
        ? {
            host: row.host,
            port: row.port,
            database: orUndefined(row.database_name),
            username: orUndefined(row.username),
            readonlyUsername: orUndefined(row.readonly_username),
          }
        : undefined,
    credentialsPath: row.credentials_path,
    restoreFromBackupId: orUndefined(row.restore_from_backup_id),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/** Database instances (their backups: BackupStore). Credentials stay in Vault; only the path is kept. */
export class DatabaseDatabaseInstanceStore implements DatabaseInstanceStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Writes the accepted instance, due for its first step, and its `accepted` event in one
   * transaction. Its name is taken while it lives (live_name is unique): namespace, ArgoCD
   * application and Vault path are named after it cluster-wide.
   */
  async createInstance(
    input: NewDatabaseInstance,
    acceptedMessage = `Accepted: ${input.engine} ${input.version}, ${input.storageGi} Gi, requested by ${input.createdBy}`,
  ): Promise<DatabaseInstance> {
    const id = randomUUID();
    const now = this.now();
    try {
      await this.db.transaction(async tx => {
        await tx('database_instances').insert({
          id,
          live_name: input.name,
          restore_from_backup_id: input.restoreFromBackupId ?? null,
          step: 'namespace',
          next_check_at: now,
          entity_ref: input.entityRef,
          name: input.name,
          engine: input.engine,
          version: input.version,
          mode: input.mode,
          environment: input.environment,
          namespace: input.namespace,
          storage_gi: input.storageGi,
          status: 'accepted',
          credentials_path: input.credentialsPath,
          created_by: input.createdBy,
          created_at: now,
          updated_at: now,
        });
        await tx('database_events').insert({
          database_id: id,
          step: 'accepted',
          status: 'info',
          message: acceptedMessage,
          created_at: now,
        });
      });
    } catch (error) {
      if (/unique|duplicate/i.test(String(error))) {
        throw new ConflictError(
          `a database named ${input.name} already exists and is not deleted; pick another name, or delete that one first`,
        );
      }
      throw error;
    }
    return (await this.getInstance(id))!;
  }

  async getInstance(id: string): Promise<DatabaseInstance | undefined> {
    const row: InstanceRow | undefined = await this.db('database_instances')
      .where({ id })
      .first();
    return row ? toInstance(row) : undefined;
  }

  async listForEntity(entityRef: string): Promise<DatabaseInstance[]> {
    const rows: InstanceRow[] = await this.db('database_instances')
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(toInstance);
  }

  async setStatus(
    id: string,
    to: DatabaseStatus,
    change: {
      message?: string;
      connection?: DatabaseInstance['connection'];
    } = {},
  ): Promise<DatabaseInstance> {
    const current = await this.getInstance(id);
    if (!current) throw new NotFoundError(`no database with id ${id}`);
    if (!canDatabaseTransition(current.status, to)) {
      throw new ConflictError(
        `database ${current.name} is ${current.status} and cannot become ${to}`,
      );
    }
    const update: Record<string, unknown> = {
      status: to,
      status_message: change.message ?? null,
      updated_at: this.now(),
    };
    if (change.connection) {
      update.host = change.connection.host;
      update.port = change.connection.port;
      update.database_name = change.connection.database ?? null;
      update.username = change.connection.username ?? null;
      update.readonly_username = change.connection.readonlyUsername ?? null;
    }
    if (to === 'deleted' || to === 'failed') update.live_name = null;
    const changed = await this.db('database_instances')
      .where({ id, status: current.status })
      .update(update);
    if (changed !== 1) {
      throw new ConflictError(
        `database ${current.name} changed while moving it to ${to}; reload it and try again`,
      );
    }
    return (await this.getInstance(id))!;
  }
}
