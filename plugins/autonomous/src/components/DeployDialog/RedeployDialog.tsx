import { useCallback, useEffect, useId, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  Release,
  ReleaseConflictPolicy,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { ConflictNotice } from './ConflictNotice';
import { useReleaseRequest } from './useReleaseRequest';
import { ErrorText } from '../ErrorText';

export interface RedeployDialogProps {
  open: boolean;
  release: Release;
  environments: string[];
  onClose(): void;
  onStarted(release: Release): void;
}

/** Deploy an earlier release's image again, to its environment or promoted to another. */
export function RedeployDialog(props: RedeployDialogProps) {
  const formId = useId();
  const { open, release, onClose, onStarted } = props;
  const api = useApi(autonomousApiRef);
  const [environment, setEnvironment] = useState(release.environment);
  const [reason, setReason] = useState('');

  const send = useCallback(
    (onConflict?: ReleaseConflictPolicy) =>
      api.redeployRelease(release.id, {
        environment:
          environment === release.environment ? undefined : environment,
        reason: reason.trim() || undefined,
        onConflict,
      }),
    [api, release, environment, reason],
  );
  const request = useReleaseRequest(send, onStarted);
  const { reset } = request;

  useEffect(() => {
    if (open) {
      setEnvironment(release.environment);
      setReason('');
      reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const choices = props.environments.includes(release.environment)
    ? props.environments
    : [release.environment, ...props.environments];

  return (
    <Dialog
      open={open}
      aria-labelledby={`${formId}-title`}
      onClose={request.busy ? undefined : onClose}
      fullWidth
      data-autonomous-plugin=""
    >
      <DialogTitle id={`${formId}-title`}>
        Redeploy {release.version}
      </DialogTitle>
      <form
        aria-labelledby={`${formId}-title`}
        onSubmit={event => {
          event.preventDefault();
          if (!request.busy && !request.conflict) {
            request.submit();
          }
        }}
      >
        <DialogContent>
          <Typography variant="body2" paragraph>
            Deploys the image {release.version} was built into again, without a
            rebuild:
          </Typography>
          <Typography
            variant="body2"
            component="code"
            paragraph
            style={{ wordBreak: 'break-all', fontFamily: 'monospace' }}
          >
            {release.imageRef}
          </Typography>
          <TextField
            select
            id={`${formId}-environment`}
            label="Environment"
            value={environment}
            onChange={e => {
              setEnvironment(e.target.value);
              reset();
            }}
            SelectProps={{ native: true }}
            helperText="Another environment promotes the same image there."
            fullWidth
            margin="dense"
          >
            {choices.map(name => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </TextField>
          <TextField
            id={`${formId}-reason`}
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            helperText="Optional; shown in the release history"
            fullWidth
            margin="dense"
          />
          {request.conflict && (
            <ConflictNotice
              message={request.conflict}
              verb="redeploy"
              busy={request.busy}
              onChoose={policy => request.submit(policy)}
            />
          )}
          {request.error && <ErrorText>{request.error}</ErrorText>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={request.busy}>
            Close
          </Button>
          {!request.conflict && (
            <Button
              color="primary"
              variant="contained"
              disabled={request.busy}
              type="submit"
            >
              Redeploy
            </Button>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
