import { FormEvent, useEffect, useId, useState } from 'react';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from '../../errorMessage';
import { fieldErrors } from '../DatabaseProvisionForm';
import { ErrorText } from '../ErrorText';

export interface DeleteDatabaseDialogProps {
  open: boolean;
  instanceName: string;
  remove(request: { confirm: string; finalBackup: boolean }): Promise<void>;
  onClose(): void;
}

/**
 * Deleting a database asks for its name typed out, and keeps a final backup unless the user
 * unticks it: backups outlive the instance.
 */
export function DeleteDatabaseDialog(props: DeleteDatabaseDialogProps) {
  const { open, instanceName } = props;
  const id = useId();
  const [confirm, setConfirm] = useState('');
  const [finalBackup, setFinalBackup] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) {
      setConfirm('');
      setFinalBackup(true);
      setErrors({});
    }
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) {
      return;
    }
    if (confirm !== instanceName) {
      setErrors({ confirm: `Type ${instanceName} to confirm.` });
      document.getElementById(`${id}-confirm`)?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await props.remove({ confirm, finalBackup });
      props.onClose();
    } catch (e) {
      setErrors(fieldErrors(errorMessage(e as Error), ['confirm']));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : props.onClose}
      aria-labelledby={`${id}-title`}
      fullWidth
      data-autonomous-plugin=""
    >
      <DialogTitle id={`${id}-title`}>Delete {instanceName}?</DialogTitle>
      <form onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
        <DialogContent>
          <Typography variant="body2" component="p">
            The database, its volume, its Argo CD application and its
            credentials in Vault are removed. Its backups stay listed here and
            can be restored into a new instance.
          </Typography>
          <FormControlLabel
            control={
              <Checkbox
                checked={finalBackup}
                onChange={e => setFinalBackup(e.target.checked)}
              />
            }
            label="Keep a final backup (taken before anything is removed)"
          />
          <Typography variant="body2" component="p">
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
          {errors.form && <ErrorText>{errors.form}</ErrorText>}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={busy}>
            Keep the database
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="secondary"
            disabled={busy}
          >
            Delete database
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
