import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  Backup,
  BackupStatus,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ActionPermission } from '../../hooks';
import { formatBytes } from '../DatabaseCommon';
import { PermissionedButton } from '../PermissionedButton';
import { StatusTone, ToneStatus } from '../ReleaseStatus';
import { formatDuration } from '../ReleasesTable/time';
import { Timestamp } from '../Timestamp';

const TONES: Record<BackupStatus, StatusTone> = {
  pending: 'pending',
  running: 'running',
  succeeded: 'ok',
  failed: 'error',
  deleted: 'pending',
};

const TRIGGERS: Record<Backup['trigger'], string> = {
  manual: 'manual',
  scheduled: 'scheduled',
  final: 'final (before deletion)',
};

export interface BackupsTableProps {
  backups: Backup[];
  permissions: { backup: ActionPermission; restore: ActionPermission };
  onDownload(backup: Backup): void;
  onRestore(backup: Backup): void;
  onDelete(backup: Backup): void;
  /** A download in progress, by backup id. */
  downloading?: string;
}

/** "the backup of 6 Dec 2026 02:00": how a button names the backup it acts on. */
export function backupLabel(backup: Backup): string {
  const at = new Date(backup.startedAt ?? backup.createdAt);
  return `backup of ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A database's backups, newest first: what happened, how big, when, how long, and actions. */
export function BackupsTable(props: BackupsTableProps) {
  const { backups, permissions } = props;
  if (backups.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No backups yet.
      </Typography>
    );
  }
  return (
    // A narrow page scrolls the table, not the page.
    <Box style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label="Backups">
        <TableHead>
          <TableRow>
            <TableCell>Status</TableCell>
            <TableCell>Trigger</TableCell>
            <TableCell>Size</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Duration</TableCell>
            <TableCell>Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {backups.map(backup => {
            const usable = backup.status === 'succeeded';
            const label = backupLabel(backup);
            const downloading = props.downloading === backup.id;
            const download = downloading ? 'Downloading' : 'Download';
            return (
              <TableRow key={backup.id}>
                <TableCell>
                  <ToneStatus tone={TONES[backup.status]}>
                    {backup.status}
                  </ToneStatus>
                  {backup.status === 'failed' && backup.message && (
                    <Typography variant="caption" display="block">
                      {backup.message}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  {TRIGGERS[backup.trigger] ?? backup.trigger}
                </TableCell>
                <TableCell>
                  {backup.sizeBytes !== undefined
                    ? formatBytes(backup.sizeBytes)
                    : '—'}
                </TableCell>
                <TableCell>
                  <Timestamp
                    at={backup.startedAt ?? backup.createdAt}
                    relative
                  />
                </TableCell>
                <TableCell>
                  {backup.durationMs !== undefined
                    ? formatDuration(backup.durationMs)
                    : '—'}
                </TableCell>
                <TableCell>
                  {usable && (
                    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                      <PermissionedButton
                        permission={permissions.backup}
                        size="small"
                        aria-label={`${download} ${label}`}
                        disabled={downloading}
                        onClick={() => props.onDownload(backup)}
                      >
                        {download}
                      </PermissionedButton>
                      <PermissionedButton
                        permission={permissions.restore}
                        size="small"
                        aria-label={`Restore ${label}`}
                        onClick={() => props.onRestore(backup)}
                      >
                        Restore
                      </PermissionedButton>
                      <PermissionedButton
                        permission={permissions.backup}
                        size="small"
                        aria-label={`Delete ${label}`}
                        onClick={() => props.onDelete(backup)}
                      >
                        Delete
                      </PermissionedButton>
                    </Box>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
