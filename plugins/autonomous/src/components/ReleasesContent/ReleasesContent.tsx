import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import { AUTONOMOUS_ANNOTATIONS } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { deployTargets } from '../../deployTargets';
import { errorMessage } from '../../errorMessage';
import { useProject, useReleaseHistory } from '../../hooks';
import { isAutonomousAvailable } from '../../isAutonomousAvailable';
import { ProjectSummary } from '../ProjectSummary';
import { ReleasesEmptyState } from '../ReleasesEmptyState';
import { ReleasesTable } from '../ReleasesTable';

function ReleaseHistory() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const project = useProject(entityRef);
  const history = useReleaseHistory(entityRef);

  let body: JSX.Element;
  if (history.error) {
    body = (
      <>
        <ResponseErrorPanel
          title={`Could not load the release history: ${errorMessage(
            history.error,
          )}`}
          error={history.error}
        />
        <Box mt={1}>
          <Button variant="outlined" onClick={history.retry}>
            Try again
          </Button>
        </Box>
      </>
    );
  } else if (!history.releases) {
    body = <Progress />;
  } else if (history.releases.length === 0 && history.pageNumber === 1) {
    body = (
      <ReleasesEmptyState targets={deployTargets(entity, project.value)} />
    );
  } else {
    body = (
      <ReleasesTable
        releases={history.releases}
        loading={history.loading}
        pageNumber={history.pageNumber}
        hasNextPage={history.hasNextPage}
        hasPreviousPage={history.hasPreviousPage}
        onNextPage={history.nextPage}
        onPreviousPage={history.previousPage}
      />
    );
  }

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        {/* When the history failed too, its panel already says why; one panel is enough. */}
        <ProjectSummary
          project={project.value}
          error={history.error ? undefined : project.error}
        />
      </Grid>
      <Grid item>{body}</Grid>
    </Grid>
  );
}

/** The Releases tab of an Autonomous project's entity page. */
export function ReleasesContent() {
  const { entity } = useEntity();
  if (!isAutonomousAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={AUTONOMOUS_ANNOTATIONS.project}
      />
    );
  }
  return <ReleaseHistory />;
}
