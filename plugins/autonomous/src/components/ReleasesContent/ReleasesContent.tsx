import { useCallback, useEffect, useMemo, useState } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  isReleaseInFlight,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { deployTargets } from '../../deployTargets';
import { errorMessage } from '../../errorMessage';
import {
  useLiveReleaseUpdates,
  useProject,
  useProjectStatus,
  useReleaseHistory,
  useReleasePermissions,
} from '../../hooks';
import { DeployDialog } from '../DeployDialog';
import { useErrorTextColor } from '../ErrorText';
import { EnvironmentStatusStrip } from '../EnvironmentStatusStrip';
import { ProjectSummary } from '../ProjectSummary';
import { ReleaseDetailDrawer } from '../ReleaseDetail';
import {
  ReleasePageContext,
  isViewOnly,
  ReleaseAnnouncements,
  ReleasePageContextValue,
  runningReleases,
  RunningReleases,
  ownerRef,
  useOwnerTitle,
  useReleaseAnnouncer,
  ViewOnlyNotice,
  ProjectEntityContent,
  useOpenRelease,
} from '../ReleasePage';
import { useFocusReturn } from '../../focusReturn';
import { ReleasesEmptyState } from '../ReleasesEmptyState';
import { ReleasesTable } from '../ReleasesTable';

/** The search parameter that names the release shown in the drawer: links keep it open. */
export { RELEASE_SEARCH_PARAM } from '../ReleasePage';

function ReleasesTab() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const project = useProject(entityRef);
  const status = useProjectStatus(entityRef);
  const history = useReleaseHistory(entityRef);
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const ownerTitle = useOwnerTitle(owner);
  const permissions = useReleasePermissions(entityRef, owner, ownerTitle);
  const api = useApi(autonomousApiRef);
  const readEvents = useCallback(
    async (id: string) => (await api.getRelease(id)).events,
    [api],
  );
  const announcer = useReleaseAnnouncer(readEvents);
  const { observe } = announcer;
  const drawerFocus = useFocusReturn();
  const errorColor = useErrorTextColor();
  const { openReleaseId, setOpenRelease } = useOpenRelease();
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

  useEffect(() => {
    if (history.releases) {
      observe(history.releases);
    }
  }, [history.releases, observe]);
  useEffect(() => {
    const last = status.value?.environments.flatMap(e =>
      e.lastRelease ? [e.lastRelease] : [],
    );
    if (last?.length) {
      observe(last);
    }
  }, [status.value, observe]);

  const { remember: rememberDrawerTrigger } = drawerFocus;
  useEffect(() => {
    if (openReleaseId) {
      rememberDrawerTrigger();
    }
  }, [openReleaseId, rememberDrawerTrigger]);

  let running: RunningReleases = { state: 'loading' };
  if (status.value) {
    const byEnvironment = runningReleases(status.value, history.releases);
    const ids = new Set([...byEnvironment.values()].map(r => r.id));
    // A release whose image runs now (the one a rollback went back to) is running too:
    // rolling back to it would change nothing.
    history.releases?.forEach(r => {
      const live = byEnvironment.get(r.environment)?.imageRef;
      if (live && r.imageRef === live) {
        ids.add(r.id);
      }
    });
    running = { state: 'known', ids, byEnvironment };
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
    observeReleases: observe,
    announcement: announcer.announcement,
    findRelease: id =>
      history.releases?.find(r => r.id === id) ??
      status.value?.environments
        .flatMap(e => [e.lastRelease, e.runningRelease])
        .find(r => r?.id === id),
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
      {/* A column with gaps rather than a spaced Grid: its negative margins make the page
          scroll sideways when it is narrow. */}
      <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
        {isViewOnly(permissions) && (
          <Box minWidth={0}>
            <ViewOnlyNotice
              permissions={permissions}
              projectName={entity.metadata.title ?? entity.metadata.name}
              owner={ownerRef(owner)}
            />
          </Box>
        )}
        <Box minWidth={0}>
          {/* When the history failed too, its panel already says why; one panel is enough. */}
          <ProjectSummary
            project={project.value}
            error={history.error ? undefined : project.error}
          />
        </Box>
        <Box minWidth={0}>
          <EnvironmentStatusStrip
            environments={environments}
            status={status.value}
            loading={status.loading}
            error={history.error ? undefined : status.error}
          />
        </Box>
        <Box minWidth={0}>
          {body}
          {/* On the page's grey background: secondary grey text would be too faint. */}
          <Typography
            variant="caption"
            aria-live="polite"
            style={history.staleError ? { color: errorColor } : undefined}
          >
            {history.staleError
              ? `Live update failed: ${errorMessage(history.staleError)}`
              : ''}
            {!history.staleError && !signalsAvailable && inFlight
              ? 'Checking for changes every 10 seconds while a release is in flight.'
              : ''}
          </Typography>
        </Box>
      </Box>
      {/* Each move of a release, said once: here, or in the drawer while it is open. */}
      <ReleaseAnnouncements
        text={openReleaseId ? '' : announcer.announcement}
      />
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
        onClosed={drawerFocus.restore}
      />
    </ReleasePageContext.Provider>
  );
}

/** The Releases tab of an Autonomous project's entity page. */
export function ReleasesContent() {
  return (
    <ProjectEntityContent>
      <ReleasesTab />
    </ProjectEntityContent>
  );
}
