import { FormEvent, ReactNode, useEffect, useId, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { errorMessage } from '../../errorMessage';
import { ErrorText } from '../ErrorText';

export interface ConfirmActionDialogProps {
  open: boolean;
  title: string;
  /** What will happen, in the user's terms. */
  description: ReactNode;
  confirmLabel: string;
  /** Ask for an optional reason, recorded with the release. */
  askReason?: boolean;
  /** Runs the action; a rejection is shown in the dialog, which then stays open. */
  onConfirm(reason?: string): Promise<void>;
  onClose(): void;
}

/** Asks before an action that changes what runs, and shows the backend's answer if it fails. */
export function ConfirmActionDialog(props: ConfirmActionDialogProps) {
  const formId = useId();
  const { open, onClose, onConfirm, askReason } = props;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (open) {
      setReason('');
      setError(undefined);
    }
  }, [open]);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(reason.trim() || undefined);
      onClose();
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      aria-labelledby={`${formId}-title`}
      onClose={busy ? undefined : onClose}
      fullWidth
      data-autonomous-plugin=""
    >
      <DialogTitle id={`${formId}-title`}>{props.title}</DialogTitle>
      <form onSubmit={confirm} aria-labelledby={`${formId}-title`}>
        <DialogContent>
          <DialogContentText component="div">
            {props.description}
          </DialogContentText>
          {askReason && (
            <TextField
              id={`${formId}-reason`}
              label="Reason"
              helperText="Optional; recorded with the release for whoever reads the history"
              value={reason}
              onChange={e => setReason(e.target.value)}
              fullWidth
              margin="dense"
            />
          )}
          {error && <ErrorText>{error}</ErrorText>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            Keep as is
          </Button>
          <Button
            type="submit"
            color="secondary"
            variant="contained"
            disabled={busy}
          >
            {props.confirmLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
