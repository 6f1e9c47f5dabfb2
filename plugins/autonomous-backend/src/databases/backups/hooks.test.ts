import { ConfigReader } from '@backstage/config';
import { createStoreTestDatabases } from '../../__testUtils__/testDatabases';
import { BackupStore } from '../../database/BackupStore';
import { DatabaseDatabaseInstanceStore } from '../../database/DatabaseInstanceStore';
import { BackupService } from './BackupService';
import { RestoreStore } from './RestoreStore';
import { readBackupSettingsConfig } from './settings';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();

describe.each(databases.ids)(
  'backup hooks without storage on %s',
  databaseId => {
    it('fail the final backup and the restore at once, saying what to configure', async () => {
      const knex = await databases.migrated(databaseId);
      const instance = await new DatabaseDatabaseInstanceStore(
        knex,
      ).createInstance({
        entityRef: 'resource:default/payments-db',
        name: 'payments',
        engine: 'postgresql',
        version: '17',
        mode: 'single',
        environment: 'default',
        namespace: 'db-payments',
        storageGi: 1,
        credentialsPath: 'autonomous/databases/payments',
        createdBy: 'user:default/owner',
      });
      const service = new BackupService({
        backups: new BackupStore(knex),
        restores: new RestoreStore(knex),
        settings: readBackupSettingsConfig(new ConfigReader({})),
        kubernetes: () => {
          throw new Error('no cluster is asked');
        },
      });
      const reason =
        'Backups are not configured: set autonomous.databases.backups.storage (an S3 bucket or a volume)';
      const finalId = await service.startFinalBackup(
        instance,
        'user:default/owner',
      );
      expect(await service.progress(finalId)).toEqual({
        state: 'failed',
        reason,
      });
      const restoreId = await service.startRestore(
        instance,
        finalId,
        'user:default/owner',
      );
      expect(await service.progress(restoreId)).toEqual({
        state: 'failed',
        reason,
      });
      await expect(
        service.backupNow(instance, 'user:default/owner'),
      ).rejects.toThrow(reason);
    });
  },
);
