import { ReactNode } from 'react';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { isReleaseInFlight } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { errorMessage } from '../../errorMessage';
import { useLiveReleaseUpdates, useRelease } from '../../hooks';
import { BuildLogPanel } from '../BuildLogPanel';
import { EnvironmentPods } from '../PodLogs';
import { ReleaseActions } from '../ReleaseActions';
import { useReleasePage } from '../ReleasePage';
import { ReleaseStatus } from '../ReleaseStatus';
import { StageTimeline } from '../StageTimeline';
import { ReleaseFacts } from './ReleaseFacts';

function Part(props: { title: string; children: ReactNode }) {
  return (
    <Box component="section" aria-label={props.title} mt={3}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

function ReleaseDetail({ releaseId }: { releaseId: string }) {
  const page = useReleasePage();
  const release = useRelease(releaseId);
  const value = release.value;
  useLiveReleaseUpdates({
    entityRef: page.entityRef,
    releaseId,
    inFlight: Boolean(value && isReleaseInFlight(value.status)),
    onUpdate: release.refresh,
  });

  if (release.error && !value) {
    return (
      <>
        <Typography role="alert" color="error">
          Could not load the release: {errorMessage(release.error)}
        </Typography>
        <Button onClick={release.retry}>Try again</Button>
      </>
    );
  }
  if (!value) {
    return <Progress />;
  }
  return (
    <>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 16 }}
      >
        <Typography variant="h5" component="h2">
          {value.version} · {value.environment}
        </Typography>
        <ReleaseStatus status={value.status} />
        <ReleaseActions release={value} />
      </Box>
      <Part title="Release">
        <ReleaseFacts release={value} />
      </Part>
      <Part title="Stages">
        <StageTimeline events={value.events} />
      </Part>
      <Part title="Build log">
        <BuildLogPanel release={value} />
      </Part>
      <Part title={`Pods in ${value.environment}`}>
        <EnvironmentPods
          entityRef={page.entityRef}
          environment={value.environment}
        />
      </Part>
    </>
  );
}

export interface ReleaseDetailDrawerProps {
  releaseId?: string;
  onClose(): void;
}

/** One release in full, beside the history: stages, build log, and the pods it runs on. */
export function ReleaseDetailDrawer({
  releaseId,
  onClose,
}: ReleaseDetailDrawerProps) {
  return (
    <Drawer
      anchor="right"
      open={Boolean(releaseId)}
      onClose={onClose}
      PaperProps={{ style: { width: 'min(960px, 100vw)' } }}
    >
      <Box p={3} role="dialog" aria-label="Release details">
        <Box display="flex" justifyContent="flex-end">
          <IconButton aria-label="Close release details" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        {releaseId && <ReleaseDetail key={releaseId} releaseId={releaseId} />}
      </Box>
    </Drawer>
  );
}
