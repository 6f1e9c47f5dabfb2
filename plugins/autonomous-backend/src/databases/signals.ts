import {
  databaseSignalChannel,
  DatabaseSignal,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';

/**
 * Database signals, private as release signals are: only the users who read the entity through
 * a permission-checked route recently (the same readers, `release_watchers`) hear that one of
 * its databases or backups changed, on the entity's databases channel. The message names the
 * instance (and backup); the page refetches it through the API, which checks read again.
 */
export class DatabaseSignals {
  constructor(
    private readonly deps: {
      signals: SignalsService;
      watchers: { watchersOf(entityRef: string): Promise<string[]> };
      logger: LoggerService;
    },
  ) {}

  async announce(entityRef: string, message: DatabaseSignal): Promise<void> {
    const users = await this.deps.watchers.watchersOf(entityRef);
    if (!users.length) return;
    await this.deps.signals.publish<DatabaseSignal>({
      recipients: { type: 'user', entityRef: users },
      channel: databaseSignalChannel(entityRef),
      message,
    });
  }

  /** A database changed; for callers that must not wait or fail. */
  readonly onDatabaseChange = (instance: {
    id: string;
    entityRef: string;
  }): void => {
    this.announce(instance.entityRef, {
      type: 'database',
      databaseId: instance.id,
    }).catch(e =>
      this.deps.logger.warn(`Could not publish a database signal: ${e}`),
    );
  };

  /** A backup changed; for callers that must not wait or fail. */
  readonly onBackupChange = (
    entityRef: string,
    databaseId: string,
    backupId: string,
  ): void => {
    this.announce(entityRef, { type: 'backup', databaseId, backupId }).catch(
      e => this.deps.logger.warn(`Could not publish a backup signal: ${e}`),
    );
  };
}
