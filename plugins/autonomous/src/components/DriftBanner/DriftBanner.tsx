import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import {
  ActionAccepted,
  DriftedResource,
  EnvironmentDrift,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';
import { useReleasePage } from '../ReleasePage';
import { Timestamp } from '../Timestamp';

function ResourceDiff({ resource }: { resource: DriftedResource }) {
  const name = `${resource.kind} ${resource.name}`;
  return (
    <li>
      <Typography variant="body2" component="span">
        <strong>{name}</strong>
      </Typography>
      <ul aria-label={`Differences of ${name}`} style={{ paddingLeft: 16 }}>
        {resource.changes.map(change => (
          <li key={change.path || 'whole'}>
            <Typography variant="caption" component="span">
              {change.path ? (
                <>
                  <code>{change.path}</code>: live{' '}
                  <code>{change.live ?? 'absent'}</code>, Git{' '}
                  <code>{change.desired ?? 'absent'}</code>
                </>
              ) : (
                <>
                  {change.live
                    ? 'in the cluster only'
                    : 'missing from the cluster'}
                </>
              )}
            </Typography>
          </li>
        ))}
        {resource.moreChanges ? (
          <li>
            <Typography variant="caption">
              and {resource.moreChanges} more
            </Typography>
          </li>
        ) : null}
      </ul>
    </li>
  );
}

/** How often the page reads the status again while a correction runs. */
export const CORRECTION_POLL_MS = 3_000;

export interface DriftBannerProps {
  drift: EnvironmentDrift;
}

/**
 * The environment no longer matches Git although no release is in flight: what differs, and a
 * sync that applies Git again. Shown on the environment's card; the page refreshes itself
 * when the drift ends.
 */
export function DriftBanner({ drift }: DriftBannerProps) {
  const api = useApi(autonomousApiRef);
  const page = useReleasePage();
  const { permissions, entityRef } = page;
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<{ ok: boolean; text: string }>();
  const env = drift.environment;
  const [correcting, setCorrecting] = useState(false);

  // Nothing signals that ArgoCD finished applying Git: read again until the banner goes away.
  const { refresh } = page;
  useEffect(() => {
    if (!correcting) return undefined;
    const timer = setInterval(refresh, CORRECTION_POLL_MS);
    return () => clearInterval(timer);
  }, [correcting, refresh]);

  const run = async (action: () => Promise<ActionAccepted>) => {
    setBusy(true);
    setFeedback(undefined);
    try {
      setFeedback({ ok: true, text: (await action()).message });
      setCorrecting(true);
      page.refresh();
    } catch (error) {
      setFeedback({ ok: false, text: errorMessage(error as Error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      role="region"
      aria-label={`Drift in ${env}`}
      my={1}
      p={1}
      border={1}
      borderColor="warning.main"
      borderRadius={4}
    >
      <Box display="flex" alignItems="center" style={{ gap: 4 }}>
        <WarningIcon fontSize="small" color="error" />
        <Typography variant="subtitle2" component="h4">
          Drifted from Git
        </Typography>
      </Box>
      <Typography variant="body2">
        {drift.argocdApplication ?? 'The application'} is OutOfSync with no
        release in flight
        {drift.since && (
          <>
            {' '}
            since <Timestamp at={drift.since} relative />
          </>
        )}
        .{' '}
        {drift.resources.length
          ? 'These resources differ from Git:'
          : 'ArgoCD lists no differing resource; a hard refresh compares again.'}
      </Typography>
      {drift.resources.length > 0 && (
        <ul style={{ margin: '4px 0', paddingLeft: 16 }}>
          {drift.resources.map(r => (
            <ResourceDiff
              key={`${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`}
              resource={r}
            />
          ))}
        </ul>
      )}
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <PermissionedButton
          size="small"
          variant="contained"
          color="primary"
          permission={permissions.sync}
          disabled={busy}
          aria-label={`Correct drift (${env})`}
          onClick={() => run(() => api.syncEnvironment(entityRef, env))}
        >
          Correct drift
        </PermissionedButton>
        <PermissionedButton
          size="small"
          variant="outlined"
          permission={permissions.sync}
          disabled={busy}
          aria-label={`Force reconcile (${env})`}
          title="Hard refresh, then sync: ArgoCD reads Git again before applying it"
          onClick={() => run(() => api.reconcileEnvironment(entityRef, env))}
        >
          Force reconcile
        </PermissionedButton>
      </Box>
      {feedback?.ok && (
        <Typography role="status" variant="body2" color="textSecondary">
          {feedback.text}
        </Typography>
      )}
      {feedback && !feedback.ok && <ErrorText>{feedback.text}</ErrorText>}
    </Box>
  );
}
