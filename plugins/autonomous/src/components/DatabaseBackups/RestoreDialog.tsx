import { Backup } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { FormEvent, useEffect, useId, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { RestoreBackupRequest, RestoreBackupResult } from '../../api';
import { errorMessage } from '../../errorMessage';
import { fieldErrors } from '../DatabaseProvisionForm';
import { ErrorText } from '../ErrorText';
import { backupLabel } from './BackupsTable';

const NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export interface RestoreDialogProps {
  /** The backup to restore; the dialog is open while one is given. */
  backup?: Backup;
  /** The instance the backup was taken of. */
  instanceName: string;
  /** Whether that instance still exists, so restoring in place is possible. */
  canRestoreInPlace: boolean;
  restore(
    backup: Backup,
    request: RestoreBackupRequest,
  ): Promise<RestoreBackupResult>;
  onRestored(result: RestoreBackupResult): void;
  onClose(): void;
}

/** A name for the new instance that is valid and tells where it came from. */
export function restoredName(instanceName: string): string {
  const suffix = '-restored';
  return `${instanceName.slice(0, 40 - suffix.length)}${suffix}`;
}

/**
 * Restore a backup: into a new instance by default, which leaves the current one as it
 * is; in place only after typing the instance's name, because it replaces its data.
 */
export function RestoreDialog(props: RestoreDialogProps) {
  const { backup, instanceName } = props;
  const id = useId();
  const [target, setTarget] = useState<'new' | 'in-place'>('new');
  const [name, setName] = useState(restoredName(instanceName));
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (backup) {
      setTarget('new');
      setName(restoredName(instanceName));
      setConfirm('');
      setErrors({});
    }
  }, [backup, instanceName]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!backup || busy) {
      return;
    }
    let request: RestoreBackupRequest;
    if (target === 'new') {
      if (!NAME_PATTERN.test(name) || name.length > 40) {
        setErrors({
          name: 'Lower-case letters, digits and hyphens, starting with a letter; at most 40 characters.',
        });
        document.getElementById(`${id}-name`)?.focus();
        return;
      }
      request = { target: 'new', name };
    } else {
      if (confirm !== instanceName) {
        setErrors({ confirm: `Type ${instanceName} to confirm.` });
        document.getElementById(`${id}-confirm`)?.focus();
        return;
      }
      request = { target: 'in-place', confirm };
    }
    setBusy(true);
    setErrors({});
    try {
      props.onRestored(await props.restore(backup, request));
      props.onClose();
    } catch (e) {
      setErrors(fieldErrors(errorMessage(e as Error), ['name', 'confirm']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={Boolean(backup)}
      onClose={busy ? undefined : props.onClose}
      aria-labelledby={`${id}-title`}
      fullWidth
      data-autonomous-plugin=""
    >
      <DialogTitle id={`${id}-title`}>
        Restore the {backup ? backupLabel(backup) : 'backup'}
      </DialogTitle>
      <form onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
        <DialogContent>
          <FormControl component="fieldset">
            <FormLabel component="legend">Restore into</FormLabel>
            <RadioGroup
              name={`${id}-target`}
              value={target}
              onChange={e => setTarget(e.target.value as 'new' | 'in-place')}
            >
              <FormControlLabel
                value="new"
                control={<Radio />}
                label="A new instance (recommended: the current data stays as it is)"
              />
              <FormControlLabel
                value="in-place"
                control={<Radio />}
                disabled={!props.canRestoreInPlace}
                label={`${instanceName} itself, replacing its data`}
              />
            </RadioGroup>
          </FormControl>
          {target === 'new' ? (
            <TextField
              id={`${id}-name`}
              label="Name of the new instance"
              value={name}
              onChange={e => setName(e.target.value)}
              error={Boolean(errors.name)}
              helperText={errors.name ?? `Runs in the namespace db-${name}`}
              fullWidth
              margin="dense"
            />
          ) : (
            <>
              <Typography variant="body2" component="p">
                Everything written to {instanceName} since this backup is lost.
                Type <strong>{instanceName}</strong> to confirm.
              </Typography>
              <TextField
                id={`${id}-confirm`}
                label="Instance name"
                value={confirm}
                onChange={e => setConfirm(e.target.value)}
                error={Boolean(errors.confirm)}
                helperText={errors.confirm ?? ' '}
                fullWidth
                margin="dense"
                autoComplete="off"
              />
            </>
          )}
          {errors.form && <ErrorText>{errors.form}</ErrorText>}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={busy}>
            Keep as is
          </Button>
          <Button
            type="submit"
            variant="contained"
            color={target === 'new' ? 'primary' : 'secondary'}
            disabled={busy}
          >
            {target === 'new'
              ? 'Restore into a new instance'
              : 'Restore in place'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
