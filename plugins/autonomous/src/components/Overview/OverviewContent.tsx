import { useCallback, useMemo, useState } from 'react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  isReleaseInFlight,
  ProjectSettingsChange,
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
import { EnvironmentStatusStrip } from '../EnvironmentStatusStrip';
import { ReleaseDetailDrawer } from '../ReleaseDetail';
import {
  ReleaseAnnouncements,
  ReleasePageContext,
  ReleasePageContextValue,
  RunningReleases,
  runningReleases,
  useOwnerTitle,
  useReleaseAnnouncer,
  ProjectEntityContent,
  useOpenRelease,
} from '../ReleasePage';
import { EnvironmentSettingsCard } from './EnvironmentSettingsCard';
import { useProjectSettings, useSettingsPermission } from './useSettings';
import { WebhookCard } from './WebhookCard';

function OverviewTab() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(autonomousApiRef);
  const project = useProject(entityRef);
  const status = useProjectStatus(entityRef);
  const history = useReleaseHistory(entityRef);
  const settings = useProjectSettings(entityRef);
  const owner =
    typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
  const ownerTitle = useOwnerTitle(owner);
  const permissions = useReleasePermissions(entityRef, owner, ownerTitle);
  const settingsPermission = useSettingsPermission(
    entityRef,
    owner,
    ownerTitle,
  );
  const readEvents = useCallback(
    async (id: string) => (await api.getRelease(id)).events,
    [api],
  );
  const announcer = useReleaseAnnouncer(readEvents);
  const { openReleaseId, setOpenRelease } = useOpenRelease();
  const [deployTo, setDeployTo] = useState<string>();

  const targets = useMemo(
    () => deployTargets(entity, project.value),
    [entity, project.value],
  );
  const environments = targets.map(t => t.name);
  const { refresh: refreshHistory } = history;
  const { refresh: refreshStatus } = status;
  const { refresh: refreshSettings } = settings;
  const [updates, setUpdates] = useState(0);
  const refresh = useCallback(() => {
    refreshHistory();
    refreshStatus();
    refreshSettings();
    setUpdates(n => n + 1);
  }, [refreshHistory, refreshStatus, refreshSettings]);

  const inFlight = Boolean(
    status.value?.environments.some(
      e =>
        (e.lastRelease && isReleaseInFlight(e.lastRelease.status)) ||
        (e.running && !e.running.rolloutComplete),
    ),
  );
  useLiveReleaseUpdates({ entityRef, inFlight, onUpdate: refresh });

  let running: RunningReleases = { state: 'loading' };
  if (status.value) {
    const byEnvironment = runningReleases(status.value, history.releases);
    running = {
      state: 'known',
      ids: new Set([...byEnvironment.values()].map(r => r.id)),
      byEnvironment,
    };
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
    onReleaseStarted: (release: Release) => {
      setDeployTo(undefined);
      refresh();
      setOpenRelease(release.id);
    },
    refresh,
    observeReleases: announcer.observe,
    announcement: announcer.announcement,
    findRelease: id =>
      history.releases?.find(r => r.id === id) ??
      status.value?.environments
        .flatMap(e => [e.lastRelease, e.runningRelease])
        .find(r => r?.id === id),
  };

  const onSaved = (_change: ProjectSettingsChange) => {
    refreshSettings();
    refreshStatus();
  };

  return (
    <ReleasePageContext.Provider value={context}>
      <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
        <Box minWidth={0}>
          <Typography variant="h5" component="h2" gutterBottom>
            Environments
          </Typography>
          <EnvironmentStatusStrip
            environments={environments}
            status={status.value}
            loading={status.loading}
            error={status.error}
          />
        </Box>
        <Box minWidth={0}>
          <Typography variant="h5" component="h2" gutterBottom>
            Settings
          </Typography>
          {settings.error && (
            <WarningPanel
              title="Could not read the project's settings"
              message={errorMessage(settings.error)}
            />
          )}
          {!settings.value && !settings.error && <Progress />}
          <Box
            display="grid"
            gridTemplateColumns="repeat(auto-fit, minmax(min(420px, 100%), 1fr))"
            style={{ gap: 16 }}
          >
            {settings.value?.environments.map(env => (
              <Box key={env.environment} minWidth={0}>
                <EnvironmentSettingsCard
                  entityRef={entityRef}
                  settings={env}
                  permission={settingsPermission}
                  onSaved={onSaved}
                />
              </Box>
            ))}
          </Box>
        </Box>
        <Box minWidth={0}>
          <WebhookCard
            entityRef={entityRef}
            permission={settingsPermission}
            updates={updates}
          />
        </Box>
        {settings.value && (
          <Box minWidth={0}>
            <InfoCard title="Recent changes to settings">
              {settings.value.events.length ? (
                <Box component="ul" m={0} pl={2}>
                  {settings.value.events.map(event => (
                    <li key={event.id}>
                      <Typography variant="body2">
                        {event.createdAt} · {event.actor}: {event.message}
                      </Typography>
                    </li>
                  ))}
                </Box>
              ) : (
                <Typography variant="body2">No change yet.</Typography>
              )}
            </InfoCard>
          </Box>
        )}
      </Box>
      <ReleaseAnnouncements
        text={openReleaseId ? '' : announcer.announcement}
      />
      <DeployDialog
        open={deployTo !== undefined}
        entityRef={entityRef}
        targets={targets}
        environment={deployTo || undefined}
        onClose={() => setDeployTo(undefined)}
        onStarted={context.onReleaseStarted}
      />
      <ReleaseDetailDrawer
        releaseId={openReleaseId}
        onClose={() => setOpenRelease(undefined)}
      />
    </ReleasePageContext.Provider>
  );
}

/** The Overview tab of an Autonomous project's entity page. */
export function OverviewContent() {
  return (
    <ProjectEntityContent>
      <OverviewTab />
    </ProjectEntityContent>
  );
}
