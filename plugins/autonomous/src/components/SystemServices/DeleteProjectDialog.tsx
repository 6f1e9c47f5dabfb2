import { FormEvent, useEffect, useId, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from '../../errorMessage';
import { useErrorTextColor } from '../ErrorText';

export interface DeleteProjectDialogProps {
  open: boolean;
  projectName: string;
  serviceCount: number;
  remove(request: { confirm: string }): Promise<void>;
  onClose(): void;
}

/**
 * Deleting a project asks for its name typed out: every service's Argo CD applications go;
 * the release history stays.
 */
export function DeleteProjectDialog(props: DeleteProjectDialogProps) {
  const { open, projectName, serviceCount } = props;
  const id = useId();
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const errorColor = useErrorTextColor();

  useEffect(() => {
    if (open) {
      setConfirm('');
      setError(undefined);
    }
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (confirm !== projectName) {
      setError(`Type ${projectName} to confirm.`);
      document.getElementById(`${id}-confirm`)?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await props.remove({ confirm });
      props.onClose();
    } catch (e) {
      setError(errorMessage(e as Error));
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
      <DialogTitle id={`${id}-title`}>Delete {projectName}?</DialogTitle>
      <form onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
        <DialogContent>
          <Typography variant="body2" component="p">
            The Argo CD applications of {serviceCount}{' '}
            {serviceCount === 1 ? 'service' : 'services'} in every environment
            are removed, with what they run. The releases stay readable as
            history; nothing can be deployed to the project afterwards.
          </Typography>
          <Typography variant="body2" component="p">
            Type <strong>{projectName}</strong> to confirm.
          </Typography>
          <TextField
            id={`${id}-confirm`}
            label="Project name"
            value={confirm}
            onChange={e => setConfirm(e.target.value)}
            error={Boolean(error)}
            // The theme's error red is too faint for text: label and message use a darker one.
            InputLabelProps={{
              style: error ? { color: errorColor } : undefined,
            }}
            FormHelperTextProps={{
              style: error ? { color: errorColor } : undefined,
            }}
            helperText={error ?? ' '}
            fullWidth
            margin="dense"
            autoComplete="off"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={busy}>
            Keep the project
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="secondary"
            disabled={busy}
          >
            Delete project
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
