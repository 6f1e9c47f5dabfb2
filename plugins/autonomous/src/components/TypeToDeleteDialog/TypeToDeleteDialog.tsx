import { FormEvent, ReactNode, useEffect, useId, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from '../../errorMessage';
import { ErrorText, useErrorTextColor } from '../ErrorText';

export interface TypeToDeleteDialogProps {
  open: boolean;
  /** The name to type out: what is deleted. */
  name: string;
  /** What it is, for the buttons: `project` gives "Keep the project" and "Delete project". */
  noun: string;
  /** The confirmation field's label, e.g. "Project name". */
  fieldLabel: string;
  /** What deleting removes and what it keeps, and any choice that goes with it. */
  children: ReactNode;
  /** Deletes, with the typed name; a refusal is shown in the dialog. */
  remove(confirm: string): Promise<void>;
  /**
   * Splits a refusal into what is about the typed name (`confirm`, under the field) and the
   * rest (`form`, under the form). Default: all of it under the field.
   */
  splitError?(message: string): { confirm?: string; form?: string };
  onClose(): void;
}

/**
 * Deleting something that cannot come back asks for its name typed out. The dialog checks the
 * name before sending, keeps itself open while the request runs, and shows the backend's
 * refusal.
 */
export function TypeToDeleteDialog(props: TypeToDeleteDialogProps) {
  const { open, name, noun } = props;
  const id = useId();
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ confirm?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const errorColor = useErrorTextColor();

  useEffect(() => {
    if (open) {
      setConfirm('');
      setErrors({});
    }
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (confirm !== name) {
      setErrors({ confirm: `Type ${name} to confirm.` });
      document.getElementById(`${id}-confirm`)?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await props.remove(confirm);
      props.onClose();
    } catch (e) {
      const message = errorMessage(e as Error);
      setErrors(props.splitError?.(message) ?? { confirm: message });
    } finally {
      setBusy(false);
    }
  };

  // The theme's error red is too faint for text: the field's label and message use a darker one.
  const errorStyle = errors.confirm ? { color: errorColor } : undefined;
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : props.onClose}
      aria-labelledby={`${id}-title`}
      fullWidth
      data-autonomous-plugin=""
    >
      <DialogTitle id={`${id}-title`}>Delete {name}?</DialogTitle>
      <form onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
        <DialogContent>
          {props.children}
          <Typography variant="body2" component="p">
            Type <strong>{name}</strong> to confirm.
          </Typography>
          <TextField
            id={`${id}-confirm`}
            label={props.fieldLabel}
            value={confirm}
            onChange={e => setConfirm(e.target.value)}
            error={Boolean(errors.confirm)}
            InputLabelProps={{ style: errorStyle }}
            FormHelperTextProps={{ style: errorStyle }}
            helperText={errors.confirm ?? ' '}
            fullWidth
            margin="dense"
            autoComplete="off"
          />
          {errors.form && <ErrorText>{errors.form}</ErrorText>}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={busy}>
            Keep the {noun}
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="secondary"
            disabled={busy}
          >
            Delete {noun}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
