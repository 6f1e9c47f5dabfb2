import { FormEvent, useEffect, useId, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from '../../errorMessage';
import { ErrorText } from '../ErrorText';

export interface DeployServicesDialogProps {
  open: boolean;
  /** The services to deploy, by name: one, or several together. */
  services: string[];
  environments: string[];
  deploy(request: { environment: string; reason?: string }): Promise<void>;
  onClose(): void;
}

/** Deploys the chosen services to one environment: one release each, shown together. */
export function DeployServicesDialog(props: DeployServicesDialogProps) {
  const { open, services, environments } = props;
  const id = useId();
  const [environment, setEnvironment] = useState(environments[0] ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) {
      setEnvironment(environments[0] ?? '');
      setReason('');
      setError(undefined);
    }
  }, [open, environments]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.deploy({ environment, reason: reason.trim() || undefined });
      props.onClose();
    } catch (e) {
      setError(errorMessage(e as Error));
    } finally {
      setBusy(false);
    }
  };

  const what =
    services.length === 1 ? services[0] : `${services.length} services`;
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : props.onClose}
      aria-labelledby={`${id}-title`}
      fullWidth
      data-autonomous-plugin=""
    >
      <DialogTitle id={`${id}-title`}>Deploy {what}</DialogTitle>
      <form onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
        <DialogContent>
          <Typography variant="body2" component="p">
            Each service gets its own release of its branch, built and deployed
            to the environment; they are listed together on this page.
            {services.length > 1 ? ` Services: ${services.join(', ')}.` : ''}
          </Typography>
          <TextField
            select
            id={`${id}-environment`}
            label="Environment"
            value={environment}
            onChange={e => setEnvironment(e.target.value)}
            fullWidth
            margin="dense"
          >
            {environments.map(env => (
              <MenuItem key={env} value={env}>
                {env}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id={`${id}-reason`}
            label="Reason (optional)"
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ maxLength: 500 }}
            fullWidth
            margin="dense"
          />
          {error && <ErrorText>{error}</ErrorText>}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={busy || !environment}
          >
            Deploy
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
