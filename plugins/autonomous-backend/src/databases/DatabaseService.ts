import {
  DATABASE_CLUSTER_MODE_UNAVAILABLE,
  DATABASE_ENGINES,
  DatabaseEngine,
  DatabaseEngineInfo,
  DatabaseEvent,
  DatabaseInstance,
  DatabaseUser,
  isDatabaseEngine,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { DatabaseEventStore } from '../database/DatabaseEventStore';
import { DatabaseDatabaseInstanceStore } from '../database/DatabaseInstanceStore';
import { DatabaseWorkStore } from '../database/DatabaseWorkStore';
import { engineInfo } from './engines';
import {
  INSTANCE_NAME,
  INSTANCE_NAME_RULE,
  instanceNames,
  namespaceOf,
  vaultPathOf,
} from './names';
import { readCredentials } from './provisionSteps';
import { DatabaseSettings } from './settings';

/** The annotation through which a database entity names its engine. */
export const DATABASE_ENGINE_ANNOTATION = 'autonomous.dev/database-engine';

/** What provisioning is asked for; the engine and the rest default from the entity and config. */
export interface ProvisionRequest {
  entityRef: string;
  engine?: DatabaseEngine;
  version?: string;
  storageGi?: number;
  mode?: 'single' | 'cluster';
  name?: string;
  requestedBy: string;
  /** Provision a new instance and restore this backup into it (before the profile step). */
  restoreFromBackupId?: string;
}

/** Why an entity cannot have a database, or undefined when it can. */
export function databaseEntityRefusal(entity: Entity): string | undefined {
  const ref = stringifyEntityRef(entity);
  if (entity.kind.toLocaleLowerCase('en-US') !== 'resource') {
    return `${ref} is a ${entity.kind}: databases are provisioned for Resource entities of spec.type database`;
  }
  if (entity.spec?.type !== 'database') {
    return `${ref} is a Resource of spec.type ${String(
      entity.spec?.type ?? '(none)',
    )}: databases are provisioned for Resources of spec.type database`;
  }
  return undefined;
}

/** Provisioning, reads, credentials and deletion of database instances. */
export class DatabaseService {
  private readonly instances: DatabaseDatabaseInstanceStore;
  private readonly events: DatabaseEventStore;
  private readonly work: DatabaseWorkStore;

  constructor(
    private readonly deps: {
      instances: DatabaseDatabaseInstanceStore;
      events: DatabaseEventStore;
      work: DatabaseWorkStore;
      settings: DatabaseSettings;
      clients: UpstreamClients;
      /** The entity, read with the backend's own credentials. */
      entity(entityRef: string): Promise<Entity | undefined>;
      /** Tell the worker there is something to do now. */
      wake(): void;
      onChange?(instance: DatabaseInstance): void;
    },
  ) {
    this.instances = deps.instances;
    this.events = deps.events;
    this.work = deps.work;
  }

  private async databaseEntity(entityRef: string): Promise<Entity> {
    const entity = await this.deps.entity(entityRef);
    if (!entity) {
      throw new NotFoundError(
        `${entityRef} is not in the catalog: check the kind, namespace and name, or register the entity first`,
      );
    }
    return entity;
  }

  /** Every engine, the entity's annotated one named as the default. */
  async engines(
    entityRef: string,
  ): Promise<{ defaultEngine?: DatabaseEngine; items: DatabaseEngineInfo[] }> {
    const entity = await this.deps.entity(entityRef);
    const annotated =
      entity?.metadata.annotations?.[DATABASE_ENGINE_ANNOTATION];
    return {
      ...(isDatabaseEngine(annotated) ? { defaultEngine: annotated } : {}),
      items: DATABASE_ENGINES.map(e =>
        engineInfo(this.deps.settings.engines[e]),
      ),
    };
  }

  /** Accepts a new instance (202) and wakes the worker; the steps run in the background. */
  async provision(request: ProvisionRequest): Promise<DatabaseInstance> {
    if (request.mode === 'cluster') {
      throw new InputError(DATABASE_CLUSTER_MODE_UNAVAILABLE);
    }
    const entity = await this.databaseEntity(request.entityRef);
    const refusal = databaseEntityRefusal(entity);
    if (refusal) throw new InputError(refusal);
    const annotated = entity.metadata.annotations?.[DATABASE_ENGINE_ANNOTATION];
    const engine = request.engine ?? annotated;
    if (!engine) {
      throw new InputError(
        `no engine: send engine (one of ${DATABASE_ENGINES.join(
          ', ',
        )}) or annotate ${
          request.entityRef
        } with ${DATABASE_ENGINE_ANNOTATION}`,
      );
    }
    if (!isDatabaseEngine(engine)) {
      throw new InputError(
        `${
          request.entityRef
        } has ${DATABASE_ENGINE_ANNOTATION}: ${engine}, which is no engine: use one of ${DATABASE_ENGINES.join(
          ', ',
        )}`,
      );
    }
    const settings = this.deps.settings.engines[engine];
    const version = request.version ?? settings.defaultVersion;
    if (!settings.versions.includes(version)) {
      throw new InputError(
        `version: ${engine} ${version} is not offered; use one of ${settings.versions.join(
          ', ',
        )}`,
      );
    }
    const name = request.name ?? entity.metadata.name;
    if (!INSTANCE_NAME.test(name)) {
      throw new InputError(
        request.name
          ? `name: ${INSTANCE_NAME_RULE}`
          : `name: the entity's name ${name} cannot name a database (it ${INSTANCE_NAME_RULE}); send a name`,
      );
    }
    const instance = await this.instances.createInstance(
      {
        entityRef: stringifyEntityRef(entity),
        name,
        engine,
        version,
        mode: 'single',
        environment: 'default',
        namespace: namespaceOf(name),
        storageGi: request.storageGi ?? settings.defaultStorageGi,
        credentialsPath: vaultPathOf(this.deps.settings.vaultPathPrefix, name),
        createdBy: request.requestedBy,
        restoreFromBackupId: request.restoreFromBackupId,
      },
      `Accepted: ${engine} ${version} with ${
        request.storageGi ?? settings.defaultStorageGi
      } Gi, requested by ${request.requestedBy}${
        request.restoreFromBackupId
          ? `, from backup ${request.restoreFromBackupId}`
          : ''
      }`,
    );
    this.deps.onChange?.(instance);
    this.deps.wake();
    return instance;
  }

  async get(id: string): Promise<DatabaseInstance> {
    const instance = await this.instances.getInstance(id);
    if (!instance) throw new NotFoundError(`no database with id ${id}`);
    return instance;
  }

  list(entityRef: string): Promise<DatabaseInstance[]> {
    return this.instances.listForEntity(entityRef);
  }

  listEvents(id: string): Promise<DatabaseEvent[]> {
    return this.events.list(id);
  }

  /** A user's name and password, read from Vault now; never stored, cached or logged. */
  async credentials(
    instance: DatabaseInstance,
    user: DatabaseUser,
  ): Promise<{ username: string; password: string }> {
    if (instance.status === 'deleted') {
      throw new ConflictError(
        `database ${instance.name} is deleted: its credentials were removed with it`,
      );
    }
    const entity = await this.databaseEntity(instance.entityRef);
    const { vaultInstance } = this.deps.settings;
    const vault = vaultInstance
      ? this.deps.clients.get('vault', vaultInstance)
      : this.deps.clients.forEntity('vault', entity);
    const values = await readCredentials({
      vault,
      names: instanceNames(instance),
    });
    if (!values) {
      throw new ConflictError(
        `database ${instance.name} has no credentials in Vault yet (${instance.status}): they are written while it is being prepared`,
      );
    }
    return user === 'owner'
      ? { username: values.ownerUsername, password: values.ownerPassword }
      : {
          username: values.readonlyUsername,
          password: values.readonlyPassword,
        };
  }

  /** Starts the deletion after the typed confirmation; the final backup first unless opted out. */
  async delete(
    instance: DatabaseInstance,
    options: { confirm: string; finalBackup: boolean; requestedBy: string },
  ): Promise<DatabaseInstance> {
    if (options.confirm !== instance.name) {
      throw new InputError(
        `confirm: type the database's name, ${instance.name}, to delete it`,
      );
    }
    const deleting = await this.work.requestDelete(instance.id, {
      finalBackup: options.finalBackup,
      requestedBy: options.requestedBy,
      message: `Deletion requested by ${options.requestedBy}${
        options.finalBackup
          ? ', with a final backup'
          : ', without a final backup'
      }`,
    });
    this.deps.onChange?.(deleting);
    this.deps.wake();
    return deleting;
  }
}
