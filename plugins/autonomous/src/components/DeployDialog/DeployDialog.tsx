import {
  FormEvent,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  CreateReleaseRequest,
  Release,
  ReleaseConflictPolicy,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { DeployTarget } from '../../deployTargets';
import { ConflictNotice } from './ConflictNotice';
import { fieldOfServerMessage, gitRefProblem } from './gitRef';
import { useReleaseRequest } from './useReleaseRequest';
import { ErrorText, useErrorTextColor } from '../ErrorText';

const COMMIT_SHA = /^[0-9a-f]{7,40}$/i;

/** "main" is a ref, "3f2a9c1" a commit: the contract's two ways to say what to build. */
export function sourceOf(
  value: string,
): Pick<CreateReleaseRequest, 'ref' | 'commitSha'> {
  const text = value.trim();
  if (!text) {
    return {};
  }
  return COMMIT_SHA.test(text) ? { commitSha: text } : { ref: text };
}

export interface DeployDialogProps {
  open: boolean;
  entityRef: string;
  targets: DeployTarget[];
  /** The environment chosen when the dialog opens; the first one otherwise. */
  environment?: string;
  onClose(): void;
  onStarted(release: Release): void;
}

/** Build a ref or commit and deploy it to one environment. */
export function DeployDialog(props: DeployDialogProps) {
  const { open, entityRef, targets, onClose, onStarted } = props;
  const api = useApi(autonomousApiRef);
  const formId = useId();
  const [environment, setEnvironment] = useState('');
  const [source, setSource] = useState('');
  const [reason, setReason] = useState('');

  const send = useCallback(
    (onConflict?: ReleaseConflictPolicy) =>
      api.createRelease(entityRef, {
        environment,
        ...sourceOf(source),
        reason: reason.trim() || undefined,
        onConflict,
        trigger: 'manual',
      }),
    [api, entityRef, environment, source, reason],
  );
  const request = useReleaseRequest(send, onStarted);
  const { reset } = request;

  useEffect(() => {
    if (open) {
      setEnvironment(props.environment ?? targets[0]?.name ?? '');
      setSource('');
      setReason('');
      reset();
    }
    // Only opening the dialog starts it afresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const branch = targets.find(t => t.name === environment)?.branch;
  const sourceInput = useRef<HTMLInputElement>(null);
  const errorColor = useErrorTextColor();
  const typed = source.trim();
  const clientProblem =
    typed && !COMMIT_SHA.test(typed) ? gitRefProblem(typed) : undefined;
  const server = request.error
    ? fieldOfServerMessage(request.error)
    : undefined;
  const serverOnSource =
    server?.field === 'ref' || server?.field === 'commitSha';
  const sourceError =
    clientProblem ?? (serverOnSource ? server?.text : undefined);
  // Editing the form after a 409 or an error makes it a new request, to be checked afresh.
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    if (request.conflict || request.error) {
      reset();
    }
  };

  // A refused name keeps the reader on the field that has to change.
  useEffect(() => {
    if (serverOnSource) {
      sourceInput.current?.focus();
    }
  }, [serverOnSource]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (request.busy || request.conflict || !environment) {
      return;
    }
    if (clientProblem) {
      sourceInput.current?.focus();
      return;
    }
    request.submit();
  };

  return (
    <Dialog
      open={open}
      onClose={request.busy ? undefined : onClose}
      fullWidth
      aria-labelledby={`${formId}-title`}
      data-autonomous-plugin=""
    >
      <DialogTitle id={`${formId}-title`}>Deploy</DialogTitle>
      <form onSubmit={submit} noValidate aria-labelledby={`${formId}-title`}>
        <DialogContent>
          <Typography variant="body2" color="textSecondary" paragraph>
            Builds the code, pins the image by its digest and rolls it out.
          </Typography>
          <TextField
            select
            id={`${formId}-environment`}
            label="Environment"
            value={environment}
            onChange={e => edit(setEnvironment)(e.target.value)}
            SelectProps={{ native: true }}
            fullWidth
            margin="dense"
          >
            {targets.map(target => (
              <option key={target.name} value={target.name}>
                {target.name}
              </option>
            ))}
          </TextField>
          <TextField
            id={`${formId}-source`}
            label="Branch, tag or commit"
            value={source}
            onChange={e => edit(setSource)(e.target.value)}
            placeholder={branch}
            inputRef={sourceInput}
            error={Boolean(sourceError)}
            // The theme's error red is too faint for text: label and message use a darker one.
            InputLabelProps={{
              style: sourceError ? { color: errorColor } : undefined,
            }}
            FormHelperTextProps={{
              style: sourceError ? { color: errorColor } : undefined,
            }}
            helperText={
              sourceError ??
              `Empty: the head of ${
                branch ? `the ${branch} branch` : "the environment's branch"
              }. 7 to 40 hexadecimal characters are read as a commit.`
            }
            fullWidth
            margin="dense"
          />
          <TextField
            id={`${formId}-reason`}
            label="Reason"
            value={reason}
            onChange={e => edit(setReason)(e.target.value)}
            helperText="Optional; shown in the release history"
            fullWidth
            margin="dense"
          />
          {request.conflict && (
            <ConflictNotice
              message={request.conflict}
              verb="deploy"
              busy={request.busy}
              onChoose={policy => request.submit(policy)}
            />
          )}
          {server && !serverOnSource && <ErrorText>{server.text}</ErrorText>}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={request.busy}>
            Close
          </Button>
          {!request.conflict && (
            <Button
              type="submit"
              color="primary"
              variant="contained"
              disabled={request.busy || !environment}
            >
              Deploy
            </Button>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
