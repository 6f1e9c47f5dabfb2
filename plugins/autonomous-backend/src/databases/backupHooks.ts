import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';

export interface DatabaseBackupHooks {
  startFinalBackup(instance: DatabaseInstance, requestedBy: string): Promise<string>;
  startRestore(instance: DatabaseInstance, backupId: string, requestedBy: string): Promise<string>;
  progress(id: string): Promise<{ state: 'running' } | { state: 'succeeded' } | { state: 'failed'; reason: string }>;
}
