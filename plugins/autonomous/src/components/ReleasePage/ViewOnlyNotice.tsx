import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import InfoOutlined from '@material-ui/icons/InfoOutlined';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ReleasePermissions } from '../../hooks';

/** The user may read the project but none of the page's actions. */
export function isViewOnly(permissions: ReleasePermissions): boolean {
  const { deploy, sync, rollback } = permissions;
  return [deploy, sync, rollback].every(p => !p.allowed && !p.loading);
}

/**
 * Said once at the top, in words, for someone who may read a project but not change it:
 * otherwise every button on the page is a small puzzle.
 */
export function ViewOnlyNotice(props: {
  permissions: ReleasePermissions;
  projectName: string;
  /** Who owns the project: the owner's entity ref, shown by its title with a link. */
  owner?: string;
}) {
  const { deploy } = props.permissions;
  if (!isViewOnly(props.permissions)) {
    return null;
  }
  return (
    <Paper variant="outlined" component="section" aria-label="Your access">
      <Box display="flex" alignItems="flex-start" p={2} style={{ gap: 12 }}>
        <InfoOutlined color="primary" aria-hidden />
        <Box>
          <Typography variant="body1" component="p">
            You can view the releases of {props.projectName}, but not change
            them.
          </Typography>
          <Typography variant="body2" component="p">
            {props.owner ? (
              <>
                Deploying, syncing and rolling back need membership of{' '}
                <EntityRefLink
                  entityRef={props.owner}
                  defaultKind="group"
                  hideIcon
                />
                , who own it. Ask them or a portal admin for access.
              </>
            ) : (
              deploy.deniedReason
            )}
          </Typography>
        </Box>
      </Box>
    </Paper>
  );
}
