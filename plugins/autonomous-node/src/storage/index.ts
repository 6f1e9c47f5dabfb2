export type * from './types';
export { readBackupStorageConfig } from './config';
export { S3BackupStorage } from './S3BackupStorage';
export {
  VolumeBackupStorage,
  BACKUP_VOLUME_MOUNT,
} from './VolumeBackupStorage';
export { createBackupStorage } from './createBackupStorage';
