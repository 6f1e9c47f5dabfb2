import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Link from '@material-ui/core/Link';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentStatus,
  isReleaseInFlight,
  Release,
  releaseLabel,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ReleaseStatus } from '../ReleaseStatus';
import { useReleasePage } from '../ReleasePage';
import { EnvironmentActions } from './EnvironmentActions';
import { focusKey } from '../../focusReturn';
import { ErrorText } from '../ErrorText';
import { DriftBanner } from '../DriftBanner';
import { RolloutSteps } from '../RolloutSteps';

function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

function ReleaseLink(props: { release: Release; place: string }) {
  const { openRelease } = useReleasePage();
  return (
    <Link
      component="button"
      variant="body2"
      style={{ overflowWrap: 'anywhere', textAlign: 'left' }}
      {...focusKey(`${props.place}:${props.release.id}`)}
      onClick={() => openRelease(props.release.id)}
    >
      {releaseLabel(props.release)} <span>{props.release.version}</span>
    </Link>
  );
}

function StatusChips({ status }: { status: EnvironmentStatus }) {
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {status.health && (
        <Chip
          size="small"
          label={`Health: ${status.health.status}`}
          title={status.health.message}
        />
      )}
      {status.sync && (
        <Chip size="small" label={`Sync: ${status.sync.status}`} />
      )}
      {status.sync && (
        <Chip
          size="small"
          variant="outlined"
          label={
            status.sync.automated
              ? 'Automated sync on'
              : 'Automated sync suspended'
          }
        />
      )}
    </Box>
  );
}

function RunningLine(props: {
  status: EnvironmentStatus;
  /** The release running there as the page knows it: newer than the status when one just finished. */
  release?: Release;
}) {
  const { running } = props.status;
  const release = props.release ?? props.status.runningRelease;
  if (!running) {
    return null;
  }
  // A release that replaced the reported one carries its own digest; the cluster's is older.
  const digest =
    release && release.id !== props.status.runningRelease?.id
      ? release.imageRef?.split('@')[1]
      : running.digest;
  return (
    <Typography variant="body2" component="p">
      Running {release && <ReleaseLink release={release} place="running" />}
      {digest && (
        <>
          {release ? ' (' : ''}
          <code title={digest}>{shortDigest(digest)}</code>
          {release ? ')' : ' (not deployed from this portal)'}
        </>
      )}
      {!release && !digest && 'an image not deployed from this portal'}
      {' · '}
      <span aria-label="ready replicas">
        {running.readyReplicas}/{running.desiredReplicas} ready
      </span>
      {!running.rolloutComplete && ' · rollout in progress'}
    </Typography>
  );
}

/** What the card says first: what is happening there, in one plain sentence. */
function headline(
  status: EnvironmentStatus | undefined,
  loading: boolean,
  runningId?: string,
): string | undefined {
  if (!status) {
    return loading ? 'Reading the environment…' : 'Status unavailable.';
  }
  const last = status.lastRelease;
  if (last && isReleaseInFlight(last.status)) {
    return undefined; // The "Last release" line says it, with its status.
  }
  if (last && last.id !== runningId && last.status !== 'healthy') {
    return undefined; // Likewise: a failed or cancelled release is said below.
  }
  if (!last && !status.running) {
    return status.errors?.length
      ? 'Status partly unavailable.'
      : 'Nothing released here yet.';
  }
  if (!last) {
    return 'No release from this portal yet.';
  }
  return undefined;
}

export interface EnvironmentCardProps {
  environment: string;
  status?: EnvironmentStatus;
  /** The status is being read for the first time. */
  loading: boolean;
}

/** One environment: what its last release did, what runs there, and what can be done. */
export function EnvironmentCard(props: EnvironmentCardProps) {
  const { environment, status, loading } = props;
  const { running } = useReleasePage();
  const runningRelease =
    running.state === 'known'
      ? running.byEnvironment.get(environment)
      : status?.runningRelease;
  const last = status?.lastRelease;
  const showLast = last && (!runningRelease || last.id !== runningRelease.id);
  const said = headline(status, loading, runningRelease?.id);
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label={`Environment ${environment}`}
    >
      <Box p={2} height="100%" display="flex" flexDirection="column">
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography variant="h6" component="h3">
            {environment}
          </Typography>
          {status && <StatusChips status={status} />}
        </Box>
        {said && (
          <Typography variant="body1" style={{ margin: '8px 0' }}>
            {said}
          </Typography>
        )}
        {status?.drift && <DriftBanner drift={status.drift} />}
        {/* ArgoCD's application was read: its resources say whether a Rollout deploys here. */}
        {status?.sync && <RolloutSteps environment={environment} />}
        {status && <RunningLine status={status} release={runningRelease} />}
        {showLast && last && (
          <Typography variant="body2" component="p">
            {isReleaseInFlight(last.status) ? 'In flight: ' : 'Last release: '}
            <ReleaseLink release={last} place="last" />{' '}
            <ReleaseStatus status={last.status} />
          </Typography>
        )}
        {status?.sync?.operationMessage && (
          <Typography variant="caption" color="textSecondary">
            ArgoCD: {status.sync.operationPhase} {status.sync.operationMessage}
          </Typography>
        )}
        {status?.errors?.map(error => (
          <ErrorText
            key={error}
            alert={false}
            variant="caption"
            display="block"
          >
            {error}
          </ErrorText>
        ))}
        <Box mt="auto">
          <EnvironmentActions
            environment={environment}
            automatedSync={status?.sync?.automated}
          />
        </Box>
      </Box>
    </Paper>
  );
}
