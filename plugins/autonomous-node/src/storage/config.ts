import { Config } from '@backstage/config';
import { BackupStorageConfig } from './types';

/**
 * Reads `autonomous.databases.backups.storage`; undefined when backups are not configured.
 * Errors name the key to fix.
 *
 * @public
 */
export function readBackupStorageConfig(
  config: Config,
): BackupStorageConfig | undefined {
  const storage = config.getOptionalConfig(
    'autonomous.databases.backups.storage',
  );
  if (!storage) return undefined;
  const type = storage.getString('type');
  if (type === 's3') {
    return {
      type,
      bucket: storage.getString('bucket'),
      region: storage.getOptionalString('region') ?? 'us-east-1',
      endpoint: storage.getOptionalString('endpoint'),
      forcePathStyle: storage.getOptionalBoolean('forcePathStyle') ?? false,
      credentialsSecret: storage.getOptionalString('credentialsSecret'),
      accessKeyId: storage.getOptionalString('accessKeyId'),
      secretAccessKey: storage.getOptionalString('secretAccessKey'),
    };
  }
  if (type === 'volume') {
    return {
      type,
      path: storage.getString('path'),
      claimName: storage.getString('claimName'),
    };
  }
  throw new Error(
    `autonomous.databases.backups.storage.type is "${type}": use "s3" (an S3-compatible bucket) or "volume" (a PersistentVolumeClaim)`,
  );
}
