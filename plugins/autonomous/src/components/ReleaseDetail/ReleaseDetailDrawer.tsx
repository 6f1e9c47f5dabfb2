import { ReactNode, useEffect, useId } from 'react';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import {
  isReleaseInFlight,
  releaseName,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { errorMessage } from '../../errorMessage';
import { useLiveReleaseUpdates, useRelease } from '../../hooks';
import { BuildLogPanel } from '../BuildLogPanel';
import { EnvironmentPods } from '../PodLogs';
import { ReleaseActions } from '../ReleaseActions';
import { ReleaseAnnouncements, useReleasePage } from '../ReleasePage';
import { ReleaseStatus } from '../ReleaseStatus';
import { StageTimeline } from '../StageTimeline';
import { ReleaseFacts } from './ReleaseFacts';
import { ReleaseHealthGates } from './ReleaseHealthGates';
import { ErrorText } from '../ErrorText';

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

function ReleaseDetail(props: { releaseId: string; headingId: string }) {
  const { releaseId, headingId } = props;
  const page = useReleasePage();
  const release = useRelease(releaseId);
  const value = release.value;
  const { observeReleases } = page;
  useEffect(() => {
    if (value) {
      observeReleases([value]);
    }
  }, [value, observeReleases]);
  useLiveReleaseUpdates({
    entityRef: page.entityRef,
    releaseId,
    inFlight: Boolean(value && isReleaseInFlight(value.status)),
    onUpdate: release.refresh,
  });

  if (release.error && !value) {
    return (
      <>
        <ErrorText>
          Could not load the release: {errorMessage(release.error)}
        </ErrorText>
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
        <Typography
          variant="h5"
          component="h2"
          id={headingId}
          style={{ overflowWrap: 'anywhere' }}
        >
          Release {releaseName(value)} to {value.environment}
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
      <Part title="Health gates">
        <ReleaseHealthGates
          entityRef={page.entityRef}
          releaseId={value.id}
          moves={value.events.length}
        />
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

function DrawerAnnouncements() {
  return <ReleaseAnnouncements text={useReleasePage().announcement} />;
}

export interface ReleaseDetailDrawerProps {
  releaseId?: string;
  onClose(): void;
  /** The drawer has finished closing: where focus should go now. */
  onClosed?(): void;
}

/**
 * One release in full, beside the history: stages, health gates, build log, and the pods it
 * runs on.
 */
export function ReleaseDetailDrawer({
  releaseId,
  onClose,
  onClosed,
}: ReleaseDetailDrawerProps) {
  const headingId = useId();
  return (
    <Drawer
      anchor="right"
      open={Boolean(releaseId)}
      onClose={onClose}
      data-autonomous-plugin=""
      // Focus goes back to what opened the drawer: the page decides what that is.
      ModalProps={{ disableRestoreFocus: true }}
      SlideProps={{ onExited: onClosed }}
      PaperProps={{ style: { width: 'min(960px, 100vw)' } }}
    >
      {/* Named after the release once its heading shows (aria-labelledby); until then,
          by what it is (aria-label, used while the heading does not exist). */}
      <Box
        p={3}
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        aria-label="Release details"
      >
        <Box display="flex" justifyContent="flex-end">
          <IconButton aria-label="Close release details" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        <DrawerAnnouncements />
        {releaseId && (
          <ReleaseDetail
            key={releaseId}
            releaseId={releaseId}
            headingId={headingId}
          />
        )}
      </Box>
    </Drawer>
  );
}
