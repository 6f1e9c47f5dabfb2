import { BackupScheduleState } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { FormEvent, useEffect, useId, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { ActionPermission } from '../../hooks';
import { fieldErrors } from '../DatabaseProvisionForm';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';
import { Timestamp } from '../Timestamp';
import { describeCron } from './cronWords';

export interface DatabaseBackupSettingsProps {
  instanceId: string;
  /** The schedule as the backend reports it with the backups. */
  schedule: BackupScheduleState;
  permission: ActionPermission;
  onSaved(): void;
}

/** When scheduled backups run (a cron expression, read back in words) and how many stay. */
export function DatabaseBackupSettings(props: DatabaseBackupSettingsProps) {
  const { instanceId, schedule: current, permission } = props;
  const api = useApi(autonomousApiRef);
  const id = useId();
  const [schedule, setSchedule] = useState(current.schedule ?? '');
  const [retention, setRetention] = useState(String(current.retentionCount));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState('');

  // Another user's change arrives with the backups: show it unless this form is being edited.
  useEffect(() => {
    setSchedule(current.schedule ?? '');
    setRetention(String(current.retentionCount));
  }, [current.schedule, current.retentionCount]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !permission.allowed) {
      return;
    }
    const retentionCount = Number(retention);
    if (
      !Number.isInteger(retentionCount) ||
      retentionCount < 1 ||
      retentionCount > 1000
    ) {
      setErrors({ retentionCount: 'Keep from 1 to 1000 backups.' });
      document.getElementById(`${id}-retentionCount`)?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    setSaved('');
    try {
      await api.updateBackupSettings(instanceId, {
        schedule: schedule.trim() || undefined,
        retentionCount,
      });
      setSaved('Backup settings saved.');
      props.onSaved();
    } catch (e) {
      const found = fieldErrors(errorMessage(e as Error), [
        'schedule',
        'retentionCount',
      ]);
      setErrors(found);
      const first = ['schedule', 'retentionCount'].find(f => found[f]);
      if (first) {
        document.getElementById(`${id}-${first}`)?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  const words = schedule.trim()
    ? describeCron(schedule) ?? 'A custom schedule'
    : 'No scheduled backups';
  return (
    <form onSubmit={submit} aria-label="Backup settings" noValidate>
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
        <TextField
          id={`${id}-schedule`}
          label="Schedule (cron)"
          placeholder="0 2 * * *"
          value={schedule}
          onChange={e => setSchedule(e.target.value)}
          error={Boolean(errors.schedule)}
          helperText={errors.schedule ?? words}
          style={{ minWidth: 240 }}
        />
        <TextField
          id={`${id}-retentionCount`}
          label="Backups to keep"
          type="number"
          value={retention}
          onChange={e => setRetention(e.target.value)}
          error={Boolean(errors.retentionCount)}
          helperText={
            errors.retentionCount ?? 'Older scheduled backups are deleted'
          }
        />
      </Box>
      {current.schedule &&
        (current.lastScheduledAt || current.nextScheduledAt) && (
          <Typography variant="body2" component="p">
            {current.lastScheduledAt && (
              <>
                Last run <Timestamp at={current.lastScheduledAt} />.{' '}
              </>
            )}
            {current.nextScheduledAt && (
              <>
                Next run <Timestamp at={current.nextScheduledAt} />.
              </>
            )}
          </Typography>
        )}
      {errors.form && <ErrorText>{errors.form}</ErrorText>}
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 12 }}>
        <PermissionedButton
          permission={permission}
          type="submit"
          variant="outlined"
          color="primary"
          disabled={busy}
        >
          Save settings
        </PermissionedButton>
        <Typography variant="body2" role="status">
          {saved}
        </Typography>
      </Box>
    </form>
  );
}
