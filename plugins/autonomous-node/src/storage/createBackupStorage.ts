import { S3BackupStorage } from './S3BackupStorage';
import { BackupStorage, BackupStorageConfig } from './types';
import { VolumeBackupStorage } from './VolumeBackupStorage';

/** The storage a config names. @public */
export function createBackupStorage(
  config: BackupStorageConfig,
): BackupStorage {
  return config.type === 's3'
    ? new S3BackupStorage(config)
    : new VolumeBackupStorage(config);
}
