import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  AUTONOMOUS_ANNOTATIONS,
  isReleaseInFlight,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { deployTargets } from '../../deployTargets';
import { errorMessage } from '../../errorMessage';
import {
  useLiveReleaseUpdates,
  useProject,
  useProjectStatus,
  useReleaseHistory,
  useReleasePermissions,
} from '../../hooks';
import { isAutonomousAvailable } from '../../isAutonomousAvailable';
import { DeployDialog } from '../DeployDialog';
import { EnvironmentStatusStrip } from '../EnvironmentStatusStrip';
import { ProjectSummary } from '../ProjectSummary';
import { ReleaseDetailDrawer } from '../ReleaseDetail';
import {
  ReleasePageContext,
  ReleasePageContextValue,
  RunningReleases,
} from '../ReleasePage';
import { ReleasesEmptyState } from '../ReleasesEmptyState';
import { ReleasesTable } from '../ReleasesTable';

/** The search parameter that names the release shown in the drawer: links keep it open. */
export const RELEASE_SEARCH_PARAM = 'release';

function ReleasesTab() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const project = useProject(entityRef);
  const status = useProjectStatus(entityRef);
  const history = useReleaseHistory(entityRef);
  const permissions = useReleasePermissions(entityRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const openReleaseId = searchParams.get(RELEASE_SEARCH_PARAM) ?? undefined;
  // undefined: closed; a string: open, with that environment chosen ('' for none).
  const [deployTo, setDeployTo] = useState<string>();

  const targets = useMemo(
    () => deployTargets(entity, project.value),
    [entity, project.value],
  );
  const environments = targets.map(t => t.name);

  const { refresh: refreshHistory, firstPage } = history;
  const { refresh: refreshStatus } = status;
  // The backend drops its shared upstream reads when a release moves, before it signals the
  // move: one status read after a signal shows the new state.
  const refresh = useCallback(() => {
    refreshHistory();
    refreshStatus();
  }, [refreshHistory, refreshStatus]);

  const setOpenRelease = useCallback(
    (id?: string) =>
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          if (id) {
            next.set(RELEASE_SEARCH_PARAM, id);
          } else {
            next.delete(RELEASE_SEARCH_PARAM);
          }
          return next;
        },
        { replace: false },
      ),
    [setSearchParams],
  );

  const onReleaseStarted = useCallback(
    (release: Release) => {
      setDeployTo(undefined);
      firstPage();
      refresh();
      setOpenRelease(release.id);
    },
    [firstPage, refresh, setOpenRelease],
  );

  const inFlight =
    Boolean(history.releases?.some(r => isReleaseInFlight(r.status))) ||
    Boolean(
      status.value?.environments.some(
        e =>
          (e.lastRelease && isReleaseInFlight(e.lastRelease.status)) ||
          (e.running && !e.running.rolloutComplete),
      ),
    );
  const signalsAvailable = useLiveReleaseUpdates({
    entityRef,
    inFlight,
    onUpdate: refresh,
  });

  let running: RunningReleases = { state: 'loading' };
  if (status.value) {
    const ids = new Set<string>();
    status.value.environments.forEach(e => {
      if (e.runningRelease) {
        ids.add(e.runningRelease.id);
      }
    });
    running = { state: 'known', ids };
  } else if (status.error) {
    running = { state: 'unknown' };
  }

  const context: ReleasePageContextValue = {
    entityRef,
    environments,
    permissions,
    running,
    openRelease: setOpenRelease,
    openDeploy: environment => setDeployTo(environment ?? ''),
    onReleaseStarted,
    refresh,
  };

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
          <Button
            variant="outlined"
            onClick={() => {
              history.retry();
              status.retry();
            }}
          >
            Try again
          </Button>
        </Box>
      </>
    );
  } else if (!history.releases) {
    body = <Progress />;
  } else if (history.releases.length === 0 && history.pageNumber === 1) {
    body = <ReleasesEmptyState targets={targets} />;
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
    <ReleasePageContext.Provider value={context}>
      <Grid container spacing={3} direction="column">
        <Grid item>
          {/* When the history failed too, its panel already says why; one panel is enough. */}
          <ProjectSummary
            project={project.value}
            error={history.error ? undefined : project.error}
          />
        </Grid>
        <Grid item>
          <EnvironmentStatusStrip
            environments={environments}
            status={status.value}
            loading={status.loading}
            error={history.error ? undefined : status.error}
          />
        </Grid>
        <Grid item>
          {body}
          <Typography
            variant="caption"
            color={history.staleError ? 'error' : 'textSecondary'}
            aria-live="polite"
          >
            {history.staleError
              ? `Live update failed: ${errorMessage(history.staleError)}`
              : ''}
            {!history.staleError && !signalsAvailable && inFlight
              ? 'Checking for changes every 10 seconds while a release is in flight.'
              : ''}
          </Typography>
        </Grid>
      </Grid>
      <DeployDialog
        open={deployTo !== undefined}
        entityRef={entityRef}
        targets={targets}
        environment={deployTo || undefined}
        onClose={() => setDeployTo(undefined)}
        onStarted={onReleaseStarted}
      />
      <ReleaseDetailDrawer
        releaseId={openReleaseId}
        onClose={() => setOpenRelease(undefined)}
      />
    </ReleasePageContext.Provider>
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
  return <ReleasesTab />;
}
