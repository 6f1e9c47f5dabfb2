import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';

/**
 * The backups module's side of provisioning and deletion. The provisioning worker calls these
 * from its `final-backup` and `restore` steps and keeps the returned id on the instance, so a
 * resumed worker waits for the same backup or restore instead of starting another.
 */
export interface DatabaseBackupHooks {
  /** Starts, or finds already started, the final backup of an instance; returns its id. */
  startFinalBackup(
    instance: DatabaseInstance,
    requestedBy: string,
  ): Promise<string>;
  /** Starts, or finds already started, the restore of a backup into a (new) instance; returns a restore id. */
  startRestore(
    instance: DatabaseInstance,
    backupId: string,
    requestedBy: string,
  ): Promise<string>;
  /** Where a backup or restore stands. */
  progress(
    id: string,
  ): Promise<
    | { state: 'running' }
    | { state: 'succeeded' }
    | { state: 'failed'; reason: string }
  >;
}
