import { Progress } from '@backstage/core-components';
import {
  ReleaseHealthGate,
  ReleaseRolloutStepGates,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from '../../errorMessage';
import { ErrorText } from '../ErrorText';
import { GateChart } from '../GateChart';
import { ToneStatus } from '../ReleaseStatus';
import { Timestamp } from '../Timestamp';
import { useReleaseHealthGates } from './useReleaseHealthGates';

const VERDICTS = {
  passed: { tone: 'ok', word: 'passed' },
  failed: { tone: 'error', word: 'failed' },
  pending: { tone: 'running', word: 'evaluating' },
} as const;

const duration = (s: number) =>
  s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;

const ACTIONS = {
  promoted: { tone: 'ok', word: 'promoted' },
  aborted: { tone: 'error', word: 'aborted' },
} as const;

/** "Step 2 of 5 · 20 % canary": where a pause stands in its Rollout. */
export function pauseTitle(step: ReleaseRolloutStepGates): string {
  const number = step.index !== undefined ? step.index + 1 : undefined;
  switch (step.kind) {
    case 'canary': {
      const of = step.count ? ` of ${step.count}` : '';
      const weight =
        step.weight !== undefined ? ` · ${step.weight} % canary` : ' · canary';
      return `Step ${number ?? '?'}${of}${weight}`;
    }
    case 'preview':
      return `Blue/green preview${
        step.revision ? ` · revision ${step.revision}` : ''
      }`;
    default:
      return `Paused by hand${number ? ` at step ${number}` : ''}`;
  }
}

function Gate({
  gate,
  where,
  heading,
}: {
  gate: ReleaseHealthGate;
  /** Which window the gate was judged in, when there are several. */
  where?: string;
  heading: 'h4' | 'h5';
}) {
  const verdict = VERDICTS[gate.verdict];
  const last = gate.samples[gate.samples.length - 1];
  return (
    <Box
      component="section"
      aria-label={`Gate ${gate.name}${where ? ` at ${where}` : ''}`}
      mt={2}
    >
      <Box display="flex" alignItems="center" style={{ gap: 12 }}>
        <Typography variant="subtitle1" component={heading}>
          {gate.name}
        </Typography>
        <ToneStatus tone={verdict.tone}>{verdict.word}</ToneStatus>
      </Box>
      <Typography variant="body2">
        Must stay {gate.comparison} {gate.threshold} for{' '}
        {duration(gate.durationSeconds)}, evaluated every{' '}
        {duration(gate.intervalSeconds)}.
      </Typography>
      <Box
        component="pre"
        aria-label={`Query of ${gate.name}`}
        style={{
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
          fontSize: 12,
          margin: '4px 0',
        }}
      >
        <code>{gate.query}</code>
      </Box>
      {gate.samples.length > 0 ? (
        <>
          <GateChart
            label={where ? `${gate.name} at ${where}` : gate.name}
            samples={gate.samples}
            threshold={gate.threshold}
            startedAt={gate.startedAt}
          />
          <Typography variant="body2">
            {gate.samples.length} samples; the last{' '}
            {last.value !== undefined
              ? `was ${last.value}`
              : `had no value: ${last.error}`}
            .
          </Typography>
        </>
      ) : (
        <Typography variant="body2">No sample taken yet.</Typography>
      )}
      {gate.reason && (
        <Typography
          variant="body2"
          component={gate.verdict === 'failed' ? 'strong' : 'p'}
        >
          {gate.verdict === 'failed' ? 'Failed: ' : 'Passed: '}
          {gate.reason}
        </Typography>
      )}
    </Box>
  );
}

/** The gates judged at one pause of the release's Rollout, under where the pause stands. */
function PauseWindow({ step }: { step: ReleaseRolloutStepGates }) {
  const title = pauseTitle(step);
  const action = step.action && ACTIONS[step.action];
  return (
    <Box component="section" aria-label={title} mt={2}>
      <Box display="flex" alignItems="center" style={{ gap: 12 }}>
        <Typography variant="subtitle1" component="h4">
          {title}
        </Typography>
        {action && <ToneStatus tone={action.tone}>{action.word}</ToneStatus>}
      </Box>
      <Typography variant="body2" color="textSecondary">
        Reached <Timestamp at={step.reachedAt} />
        {step.windowStartedAt && step.windowEndsAt && (
          <>
            ; gates judged from <Timestamp at={step.windowStartedAt} /> to{' '}
            <Timestamp at={step.windowEndsAt} />
          </>
        )}
        .
      </Typography>
      {step.gates.length ? (
        step.gates.map(gate => (
          <Gate key={gate.name} gate={gate} where={title} heading="h5" />
        ))
      ) : (
        <Typography variant="body2">No health gate was judged here.</Typography>
      )}
    </Box>
  );
}

export interface ReleaseHealthGatesProps {
  /** The release's entity: its signal says when a gate took a sample. */
  entityRef: string;
  releaseId: string;
  /** How many moves the release made: the gates are read again after each. */
  moves: number;
}

/**
 * The health gates a release is evaluated against: each query, its values and its verdict, at
 * each pause of its Rollout (canary step, blue/green preview) and after the rollout.
 */
export function ReleaseHealthGates({
  entityRef,
  releaseId,
  moves,
}: ReleaseHealthGatesProps) {
  const gates = useReleaseHealthGates(entityRef, releaseId, moves);
  if (gates.error && !gates.value) {
    return (
      <>
        <ErrorText>
          Could not load the health gates: {errorMessage(gates.error)}
        </ErrorText>
        <Button onClick={gates.retry}>Try again</Button>
      </>
    );
  }
  if (!gates.value) return <Progress />;
  const steps = gates.value.steps ?? [];
  const after = gates.value.gates;
  if (!after.length && !steps.some(step => step.gates.length)) {
    return (
      <Typography variant="body2">
        No health gate was evaluated: gates run at each pause of a canary or
        blue/green rollout and after the rollout, when the environment has any.
      </Typography>
    );
  }
  if (!steps.length) {
    return (
      <>
        {after.map(gate => (
          <Gate key={gate.name} gate={gate} heading="h4" />
        ))}
      </>
    );
  }
  return (
    <>
      {steps.map(step => (
        <PauseWindow key={step.step} step={step} />
      ))}
      <Box component="section" aria-label="After the rollout" mt={2}>
        <Typography variant="subtitle1" component="h4">
          After the rollout
        </Typography>
        {after.length ? (
          after.map(gate => (
            <Gate
              key={gate.name}
              gate={gate}
              where="after the rollout"
              heading="h5"
            />
          ))
        ) : (
          <Typography variant="body2">
            None yet: the gates are judged once more when the rollout completes.
          </Typography>
        )}
      </Box>
    </>
  );
}
