import { WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { Project } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { errorMessage } from '../../errorMessage';

export interface ProjectSummaryProps {
  project?: Project;
  error?: Error;
}

const kindTitles: Record<string, string> = {
  monolith: 'Monolith',
  microservice: 'Microservice',
};

/** What kind of project this is and where it deploys, above its release history. */
export function ProjectSummary({ project, error }: ProjectSummaryProps) {
  if (error) {
    return (
      <WarningPanel
        title="Could not load the project's settings"
        message={errorMessage(error)}
      />
    );
  }
  if (!project) {
    return null;
  }
  return (
    <Box
      component="section"
      aria-label="Project"
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      style={{ gap: 8 }}
    >
      <Typography variant="subtitle1" component="h2">
        {kindTitles[project.kind] ?? project.kind} project
      </Typography>
      {/* Not secondary grey: on the page's grey background it would be too faint. */}
      <Typography variant="body2">Environments:</Typography>
      {project.environments.map(environment => (
        <Chip
          key={environment.name}
          size="small"
          variant="outlined"
          label={
            project.autoDeploy && environment.autoDeploy
              ? `${environment.name} · auto-deploy from ${environment.branch}`
              : `${environment.name} · manual releases`
          }
        />
      ))}
    </Box>
  );
}
