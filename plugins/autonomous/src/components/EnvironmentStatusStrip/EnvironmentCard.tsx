import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Link from '@material-ui/core/Link';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentStatus,
  isReleaseInFlight,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ReleaseStatus } from '../ReleaseStatus';
import { useReleasePage } from '../ReleasePage';
import { EnvironmentActions } from './EnvironmentActions';

function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

function ReleaseLink(props: { id: string; version: string }) {
  const { openRelease } = useReleasePage();
  return (
    <Link
      component="button"
      variant="body2"
      onClick={() => openRelease(props.id)}
    >
      {props.version}
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

function RunningLine({ status }: { status: EnvironmentStatus }) {
  const { running, runningRelease } = status;
  if (!running) {
    return null;
  }
  return (
    <Typography variant="body2" component="div">
      Running{' '}
      {runningRelease ? (
        <ReleaseLink id={runningRelease.id} version={runningRelease.version} />
      ) : (
        'an image no release matches'
      )}
      {running.digest && (
        <>
          {' · '}
          <code title={running.digest}>{shortDigest(running.digest)}</code>
        </>
      )}
      {' · '}
      <span aria-label="ready replicas">
        {running.readyReplicas}/{running.desiredReplicas} ready
      </span>
      {!running.rolloutComplete && ' · rollout in progress'}
    </Typography>
  );
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
  const last = status?.lastRelease;
  const showLast =
    last && (!status?.runningRelease || last.id !== status.runningRelease.id);
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
        <Typography variant="body1" style={{ margin: '8px 0' }}>
          {status?.summary ??
            (loading ? 'Reading the environment…' : 'Status unavailable.')}
        </Typography>
        {status && <RunningLine status={status} />}
        {showLast && last && (
          <Typography variant="body2" component="div">
            Last release <ReleaseLink id={last.id} version={last.version} />{' '}
            <ReleaseStatus status={last.status} />
            {isReleaseInFlight(last.status) && ' (in flight)'}
          </Typography>
        )}
        {status?.sync?.operationMessage && (
          <Typography variant="caption" color="textSecondary">
            ArgoCD: {status.sync.operationPhase} {status.sync.operationMessage}
          </Typography>
        )}
        {status?.errors?.map(error => (
          <Typography
            key={error}
            variant="caption"
            color="error"
            display="block"
          >
            {error}
          </Typography>
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
