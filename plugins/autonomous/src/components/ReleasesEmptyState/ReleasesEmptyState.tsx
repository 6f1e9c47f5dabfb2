import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { AUTONOMOUS_ANNOTATIONS } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { DeployTarget } from '../../deployTargets';

/**
 * No release has happened yet: say every way the first one can start. Plain blocks rather
 * than core-components' EmptyState, whose title is an h5 under the page's h2 (a skipped
 * heading level) and whose spaced grid makes a narrow page scroll sideways.
 */
export function ReleasesEmptyState({ targets }: { targets: DeployTarget[] }) {
  const autoDeployed = targets.filter(target => target.autoDeploy);
  const branch = targets[0]?.branch;
  return (
    <Box component="section" aria-labelledby="autonomous-no-releases" pt={2}>
      <Typography variant="h5" component="h2" id="autonomous-no-releases">
        No releases yet
      </Typography>
      <Typography variant="body1" style={{ marginTop: 8 }}>
        A first release starts in any of these ways:
      </Typography>
      <Typography component="ul" variant="body1">
        {autoDeployed.map(target => (
          <li key={target.name}>
            Push a commit to the <code>{target.branch}</code> branch:
            auto-deploy releases it to {target.name}.
          </li>
        ))}
        {autoDeployed.length === 0 && (
          <li>
            Auto-deploy is off, so pushes start no release. Set the{' '}
            <code>{AUTONOMOUS_ANNOTATIONS.autoDeploy}: "true"</code> annotation
            to release every push
            {branch ? (
              <>
                {' '}
                to <code>{branch}</code>
              </>
            ) : null}
            .
          </li>
        )}
        <li>
          Run <code>autonomous deploy</code> from the command line, or start one
          through the Autonomous release API.
        </li>
        <li>
          Run a Software Template that deploys with the Autonomous scaffolder
          actions.
        </li>
      </Typography>
    </Box>
  );
}
