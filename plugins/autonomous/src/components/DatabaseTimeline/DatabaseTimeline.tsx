import { DatabaseEvent } from '@autonomous-dev/backstage-plugin-autonomous-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { stepTitle } from '../DatabaseCommon';
import { ErrorText } from '../ErrorText';
import { StatusTone, ToneStatus } from '../ReleaseStatus';
import { Timestamp } from '../Timestamp';

const TONES: Record<DatabaseEvent['status'], StatusTone> = {
  started: 'running',
  succeeded: 'ok',
  failed: 'error',
  info: 'pending',
};

export interface DatabaseTimelineProps {
  events: DatabaseEvent[];
  /** Whether steps are still to come: a started step shows as running only then. */
  inFlight: boolean;
  /** The list's accessible name. */
  label?: string;
}

/**
 * The failed step still standing, said first and plainly: which step, and why. A failure
 * that a later success of the same step (a resumed provisioning) made good is history only.
 */
export function failedStep(events: DatabaseEvent[]): DatabaseEvent | undefined {
  const index = events.map(e => e.status).lastIndexOf('failed');
  if (index < 0) {
    return undefined;
  }
  const failure = events[index];
  const madeGood = events
    .slice(index + 1)
    .some(e => e.step === failure.step && e.status === 'succeeded');
  return madeGood ? undefined : failure;
}

/**
 * Each step of provisioning or deletion as it happened: when, which step, how it went, and
 * the backend's sentence about it.
 */
export function DatabaseTimeline({
  events,
  inFlight,
  label = 'Provisioning steps',
}: DatabaseTimelineProps) {
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No step recorded yet.
      </Typography>
    );
  }
  const failure = failedStep(events);
  const lastId = events[events.length - 1].id;
  return (
    <>
      {failure && (
        <Box mb={1}>
          <ErrorText alert={false}>
            Failed at “{stepTitle(failure.step)}”: {failure.message}
          </ErrorText>
        </Box>
      )}
      <Box
        component="ol"
        aria-label={label}
        p={0}
        m={0}
        style={{ listStyle: 'none' }}
      >
        {events.map(event => {
          // A step that started and then left no word is only running while more may come.
          const running =
            event.status === 'started' && inFlight && event.id === lastId;
          const tone =
            event.status === 'started' && !running ? 'ok' : TONES[event.status];
          return (
            <Box
              component="li"
              key={event.id}
              display="flex"
              flexWrap="wrap"
              py={1}
              borderBottom={1}
              borderColor="divider"
              style={{ columnGap: 16 }}
            >
              <Box width={200} flexShrink={0}>
                <Typography variant="body2" component="span">
                  <strong>{stepTitle(event.step)}</strong>
                </Typography>
                <Box>
                  <ToneStatus tone={tone}>
                    {running ? 'in progress' : event.status}
                  </ToneStatus>
                </Box>
              </Box>
              <Box flex="1 1 240px" minWidth={0}>
                <Typography
                  variant="body2"
                  style={{ overflowWrap: 'anywhere', wordBreak: 'normal' }}
                >
                  {event.message}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  <Timestamp at={event.createdAt} />
                </Typography>
              </Box>
            </Box>
          );
        })}
      </Box>
    </>
  );
}
