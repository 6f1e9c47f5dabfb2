import Typography from '@material-ui/core/Typography';
import { TypeToDeleteDialog } from '../TypeToDeleteDialog';

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
  const { projectName, serviceCount } = props;
  return (
    <TypeToDeleteDialog
      open={props.open}
      name={projectName}
      noun="project"
      fieldLabel="Project name"
      remove={confirm => props.remove({ confirm })}
      onClose={props.onClose}
    >
      <Typography variant="body2" component="p">
        The Argo CD applications of {serviceCount}{' '}
        {serviceCount === 1 ? 'service' : 'services'} in every environment are
        removed, with what they run. The releases stay readable as history;
        nothing can be deployed to the project afterwards.
      </Typography>
    </TypeToDeleteDialog>
  );
}
