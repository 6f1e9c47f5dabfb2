import { Progress } from '@backstage/core-components';
import { ReleaseHealthGate } from '@autonomous-dev/backstage-plugin-autonomous-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from '../../errorMessage';
import { ErrorText } from '../ErrorText';
import { GateChart } from '../GateChart';
import { ToneStatus } from '../ReleaseStatus';
import { useReleaseHealthGates } from './useReleaseHealthGates';

const VERDICTS = {
  passed: { tone: 'ok', word: 'passed' },
  failed: { tone: 'error', word: 'failed' },
  pending: { tone: 'running', word: 'evaluating' },
} as const;

const duration = (s: number) =>
  s >= 60 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;

function Gate({ gate }: { gate: ReleaseHealthGate }) {
  const verdict = VERDICTS[gate.verdict];
  const last = gate.samples[gate.samples.length - 1];
  return (
    <Box component="section" aria-label={`Gate ${gate.name}`} mt={2}>
      <Box display="flex" alignItems="center" style={{ gap: 12 }}>
        <Typography variant="subtitle1" component="h4">
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
            label={gate.name}
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

export interface ReleaseHealthGatesProps {
  releaseId: string;
  /** How many moves the release made: the gates are read again after each. */
  moves: number;
}

/** The health gates a release is evaluated against: each query, its values and its verdict. */
export function ReleaseHealthGates({
  releaseId,
  moves,
}: ReleaseHealthGatesProps) {
  const gates = useReleaseHealthGates(releaseId, moves);
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
  if (!gates.value.gates.length) {
    return (
      <Typography variant="body2">
        No health gate was evaluated: gates run after the rollout, when the
        environment has any.
      </Typography>
    );
  }
  return (
    <>
      {gates.value.gates.map(gate => (
        <Gate key={gate.name} gate={gate} />
      ))}
    </>
  );
}
