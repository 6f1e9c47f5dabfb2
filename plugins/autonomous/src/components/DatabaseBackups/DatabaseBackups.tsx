import {
  Backup,
  BackupList,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import WarningOutlined from '@material-ui/icons/ReportProblemOutlined';
import { autonomousApiRef, RestoreBackupResult } from '../../api';
import { errorMessage } from '../../errorMessage';
import { ActionPermission } from '../../hooks';
import { saveFile } from '../../saveFile';
import { ConfirmActionDialog } from '../ConfirmActionDialog';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';
import { Timestamp } from '../Timestamp';
import { backupLabel, BackupsTable } from './BackupsTable';
import { RestoreDialog } from './RestoreDialog';

export interface DatabaseBackupsProps {
  instance: DatabaseInstance;
  backups: BackupList;
  permissions: { backup: ActionPermission; restore: ActionPermission };
  /** Read the backups again after a change made here. */
  refresh(): void;
  onRestored(result: RestoreBackupResult): void;
}

/** The newest scheduled backup, when it failed: as loud as one that never ran. */
export function failedScheduledBackup(backups: Backup[]): Backup | undefined {
  const scheduled = backups.find(b => b.trigger === 'scheduled');
  return scheduled?.status === 'failed' ? scheduled : undefined;
}

function ScheduleWarning(props: { children: React.ReactNode }) {
  return (
    <Paper variant="outlined" component="section" aria-label="Backup warning">
      <Box display="flex" alignItems="flex-start" p={2} style={{ gap: 12 }}>
        <WarningOutlined aria-hidden style={{ color: '#8a5300' }} />
        <Typography variant="body2" component="div">
          {props.children}
        </Typography>
      </Box>
    </Paper>
  );
}

/**
 * The instance's backups: a warning when a scheduled one did not run or failed, "Backup
 * now", and the table with download, restore and delete.
 */
export function DatabaseBackups(props: DatabaseBackupsProps) {
  const { instance, backups, permissions, refresh } = props;
  const api = useApi(autonomousApiRef);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();
  const [downloading, setDownloading] = useState<string>();
  const [restoring, setRestoring] = useState<Backup>();
  const [deleting, setDeleting] = useState<Backup>();
  const live = instance.status === 'ready';
  const missed = backups.schedule.missed;
  const failed = failedScheduledBackup(backups.items);

  const backupNow = async () => {
    setStarting(true);
    setError(undefined);
    try {
      await api.createBackup(instance.id);
      refresh();
    } catch (e) {
      setError(`The backup did not start: ${errorMessage(e as Error)}`);
    } finally {
      setStarting(false);
    }
  };

  const download = async (backup: Backup) => {
    setDownloading(backup.id);
    setError(undefined);
    try {
      saveFile(await api.downloadBackup(instance.id, backup.id));
    } catch (e) {
      setError(
        `Could not download the ${backupLabel(backup)}: ${errorMessage(
          e as Error,
        )}`,
      );
    } finally {
      setDownloading(undefined);
    }
  };

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      {missed && (
        <ScheduleWarning>
          <strong>A scheduled backup did not run.</strong> It was due{' '}
          <Timestamp at={missed.expectedAt} />: {missed.message}
        </ScheduleWarning>
      )}
      {!missed && failed && (
        <ScheduleWarning>
          <strong>The last scheduled backup failed.</strong> It started{' '}
          <Timestamp at={failed.startedAt ?? failed.createdAt} />
          {failed.message ? `: ${failed.message}` : '.'}
        </ScheduleWarning>
      )}
      {live && (
        <Box>
          <PermissionedButton
            permission={permissions.backup}
            variant="outlined"
            color="primary"
            disabled={starting}
            onClick={backupNow}
          >
            Backup now
          </PermissionedButton>
        </Box>
      )}
      {error && <ErrorText>{error}</ErrorText>}
      <BackupsTable
        backups={backups.items}
        permissions={permissions}
        downloading={downloading}
        onDownload={download}
        onRestore={setRestoring}
        onDelete={setDeleting}
      />
      <RestoreDialog
        backup={restoring}
        instanceName={instance.name}
        canRestoreInPlace={live}
        restore={(backup, request) =>
          api.restoreBackup(instance.id, backup.id, request)
        }
        onRestored={result => {
          refresh();
          props.onRestored(result);
        }}
        onClose={() => setRestoring(undefined)}
      />
      <ConfirmActionDialog
        open={Boolean(deleting)}
        title={`Delete the ${deleting ? backupLabel(deleting) : 'backup'}?`}
        description="The dump is removed from storage and cannot be downloaded or restored afterwards."
        confirmLabel="Delete backup"
        onConfirm={async () => {
          await api.deleteBackup(instance.id, deleting!.id);
          refresh();
        }}
        onClose={() => setDeleting(undefined)}
      />
    </Box>
  );
}
