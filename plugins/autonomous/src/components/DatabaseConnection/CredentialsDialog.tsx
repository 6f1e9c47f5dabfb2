import { DatabaseUser } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useEffect, useId, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { autonomousApiRef, DatabaseCredentials } from '../../api';
import { errorMessage } from '../../errorMessage';
import { CopyButton } from '../DatabaseCommon';
import { ErrorText } from '../ErrorText';

export interface CredentialsDialogProps {
  instanceId: string;
  /** The user whose credentials are shown; the dialog is open while one is given. */
  user?: DatabaseUser;
  /** The user's kind in words: "Owner", "Read-only". */
  title: string;
  onClose(): void;
}

/**
 * A user's credentials, read from Vault as the dialog opens and forgotten as it closes:
 * the password is masked until asked for, and copyable either way.
 */
export function CredentialsDialog(props: CredentialsDialogProps) {
  const { instanceId, user, onClose } = props;
  const api = useApi(autonomousApiRef);
  const id = useId();
  const [credentials, setCredentials] = useState<DatabaseCredentials>();
  const [error, setError] = useState<string>();
  const [shown, setShown] = useState(false);

  useEffect(() => {
    setCredentials(undefined);
    setError(undefined);
    setShown(false);
    if (!user) {
      return undefined;
    }
    let live = true;
    api.getDatabaseCredentials(instanceId, user).then(
      value => live && setCredentials(value),
      e => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, instanceId, user]);

  const title = `Credentials of the ${props.title.toLowerCase()} user`;
  return (
    <Dialog
      open={Boolean(user)}
      onClose={onClose}
      aria-labelledby={`${id}-title`}
      fullWidth
      data-autonomous-plugin=""
    >
      <DialogTitle id={`${id}-title`}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Read from Vault just now; your reading is recorded. Close this dialog
          when you are done and the password leaves the page.
        </DialogContentText>
        {error && (
          <ErrorText>Could not read the credentials: {error}</ErrorText>
        )}
        {!error && !credentials && <Progress />}
        {credentials && (
          <>
            <Box display="flex" alignItems="center" style={{ gap: 4 }}>
              <TextField
                id={`${id}-username`}
                label="User name"
                value={credentials.username}
                InputProps={{ readOnly: true }}
                fullWidth
                margin="dense"
              />
              <CopyButton what="user name" value={credentials.username} />
            </Box>
            <Box display="flex" alignItems="center" style={{ gap: 4 }}>
              <TextField
                id={`${id}-password`}
                label="Password"
                type={shown ? 'text' : 'password'}
                value={credentials.password}
                InputProps={{ readOnly: true }}
                fullWidth
                margin="dense"
              />
              <CopyButton what="password" value={credentials.password} />
            </Box>
            <Button size="small" onClick={() => setShown(!shown)}>
              {shown ? 'Hide password' : 'Show password'}
            </Button>
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} variant="contained" color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
