import { useEffect, useState } from 'react';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { fieldErrors } from '../DatabaseProvisionForm';
import { TypeToDeleteDialog } from '../TypeToDeleteDialog';

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
  const { open } = props;
  const [finalBackup, setFinalBackup] = useState(true);

  useEffect(() => {
    if (open) setFinalBackup(true);
  }, [open]);

  return (
    <TypeToDeleteDialog
      open={open}
      name={props.instanceName}
      noun="database"
      fieldLabel="Instance name"
      remove={confirm => props.remove({ confirm, finalBackup })}
      splitError={message => fieldErrors(message, ['confirm'])}
      onClose={props.onClose}
    >
      <Typography variant="body2" component="p">
        The database, its volume, its Argo CD application and its credentials in
        Vault are removed. Its backups stay listed here and can be restored into
        a new instance.
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
    </TypeToDeleteDialog>
  );
}
