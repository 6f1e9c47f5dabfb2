import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentRollout,
  RolloutStep,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';
import { useLiveReleaseUpdates } from '../../hooks';
import { useReleasePage } from '../ReleasePage';
import {
  unlessImpossible,
  useRolloutPermissions,
} from './useRolloutPermissions';

const STATE_WORDS: Record<RolloutStep['state'], string> = {
  done: 'done',
  current: 'current',
  pending: 'to come',
};

function StepItem({ step }: { step: RolloutStep }) {
  const run = step.analysis?.run;
  return (
    <li aria-current={step.state === 'current' ? 'step' : undefined}>
      <Typography
        variant="body2"
        component="span"
        style={{ fontWeight: step.state === 'current' ? 600 : undefined }}
      >
        {step.index + 1}. {step.label}
        {step.analysis?.templates.length
          ? ` (${step.analysis.templates.join(', ')})`
          : ''}{' '}
        — {STATE_WORDS[step.state]}
        {run ? `, analysis ${run.name}: ${run.status}` : ''}
      </Typography>
    </li>
  );
}

/**
 * Reads the Rollout again when it moves: the orchestrator announces each step, weight, pause,
 * abort and phase on the release signal; without signals the card reads again every 10 s while
 * it moves. Mounted only for a canary or blue/green rollout: a rolling update has no steps.
 */
function LiveRollout(props: {
  entityRef: string;
  moving: boolean;
  onUpdate: () => void;
}) {
  useLiveReleaseUpdates({
    entityRef: props.entityRef,
    inFlight: props.moving,
    onUpdate: props.onUpdate,
  });
  return null;
}

export interface RolloutStepsProps {
  environment: string;
}

/**
 * An environment's Argo Rollouts rollout, live: the canary's steps with the current one and the
 * weights, or blue/green's active and preview revisions, with Promote and Abort. Renders
 * nothing for a rolling update.
 */
export function RolloutSteps({ environment }: RolloutStepsProps) {
  const api = useApi(autonomousApiRef);
  const { entityRef } = useReleasePage();
  const permissions = useRolloutPermissions(entityRef);
  const [rollout, setRollout] = useState<EnvironmentRollout>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<{ ok: boolean; text: string }>();

  const load = useCallback(async () => {
    try {
      setRollout(await api.getEnvironmentRollout(entityRef, environment));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e as Error));
    }
  }, [api, entityRef, environment]);

  useEffect(() => {
    load();
  }, [load]);

  if (error) {
    return (
      <ErrorText alert={false} variant="caption" display="block">
        Could not read the rollout of {environment}: {error}
      </ErrorText>
    );
  }
  if (!rollout || rollout.strategy === 'rolling') return null;

  const act = async (
    action: () => Promise<{ message: string; rollout: EnvironmentRollout }>,
  ) => {
    setBusy(true);
    setFeedback(undefined);
    try {
      const answer = await action();
      setRollout(answer.rollout);
      setFeedback({ ok: true, text: answer.message });
    } catch (e) {
      setFeedback({ ok: false, text: errorMessage(e as Error) });
      await load();
    } finally {
      setBusy(false);
    }
  };

  const title =
    rollout.strategy === 'canary' ? 'Canary rollout' : 'Blue/green rollout';
  return (
    <Box
      role="region"
      aria-label={`Rollout in ${environment}`}
      my={1}
      p={1}
      border={1}
      borderColor="divider"
      borderRadius={4}
    >
      <LiveRollout
        entityRef={entityRef}
        moving={Boolean(rollout.inProgress && !rollout.aborted)}
        onUpdate={load}
      />
      <Typography variant="subtitle2" component="h4">
        {title}: {rollout.phase ?? 'not started'}
        {rollout.message ? ` (${rollout.message})` : ''}
      </Typography>
      {rollout.weights && (
        <Typography variant="body2">
          Canary {rollout.weights.canary}% · stable {rollout.weights.stable}%
        </Typography>
      )}
      {rollout.blueGreen && (
        <Typography variant="body2">
          Active ({rollout.blueGreen.activeService}):{' '}
          {rollout.blueGreen.activeRevision ?? 'none'}
          {rollout.blueGreen.previewService &&
            ` · preview (${rollout.blueGreen.previewService}): ${
              rollout.blueGreen.previewRevision ?? 'none'
            }`}
        </Typography>
      )}
      {rollout.steps.length > 0 && (
        <ol
          aria-label={`Steps of the rollout in ${environment}`}
          style={{ margin: '4px 0', paddingLeft: 16, listStyle: 'none' }}
        >
          {rollout.steps.map(step => (
            <StepItem key={step.index} step={step} />
          ))}
        </ol>
      )}
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <PermissionedButton
          size="small"
          variant="contained"
          color="primary"
          permission={unlessImpossible(permissions.promote, rollout.promote)}
          disabled={busy}
          aria-label={`Promote rollout (${environment})`}
          onClick={() =>
            act(() => api.promoteEnvironmentRollout(entityRef, environment))
          }
        >
          Promote
        </PermissionedButton>
        <PermissionedButton
          size="small"
          variant="outlined"
          permission={unlessImpossible(permissions.abort, rollout.abort)}
          disabled={busy}
          aria-label={`Abort rollout (${environment})`}
          onClick={() =>
            act(() => api.abortEnvironmentRollout(entityRef, environment))
          }
        >
          Abort
        </PermissionedButton>
      </Box>
      {feedback &&
        (feedback.ok ? (
          <Typography variant="caption" role="status" display="block">
            {feedback.text}
          </Typography>
        ) : (
          <ErrorText variant="caption" display="block">
            {feedback.text}
          </ErrorText>
        ))}
    </Box>
  );
}
