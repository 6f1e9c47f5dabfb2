import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  isTerminalReleaseStatus,
  ReleaseEvent,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ReleaseStatus } from '../ReleaseStatus';
import { formatDuration, formatTimestamp } from '../ReleasesTable/time';

export interface StageTimelineProps {
  events: ReleaseEvent[];
  /** For the stage still running: how long so far. */
  now?: number;
}

function timeOfDay(at: string): string {
  return new Date(at).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** How long each stage took, from entering it to entering the next. */
export function stageDurations(
  events: ReleaseEvent[],
  now: number,
): Array<{ event: ReleaseEvent; tookMs?: number; running: boolean }> {
  const ordered = [...events].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at),
  );
  return ordered.map((event, index) => {
    const next = ordered[index + 1];
    if (next) {
      return {
        event,
        tookMs: Date.parse(next.at) - Date.parse(event.at),
        running: false,
      };
    }
    const running = !isTerminalReleaseStatus(event.to);
    return {
      event,
      tookMs: running ? now - Date.parse(event.at) : undefined,
      running,
    };
  });
}

/** The release's stages in order: when each began, how long it took, and what happened. */
export function StageTimeline({
  events,
  now = Date.now(),
}: StageTimelineProps) {
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No stage recorded yet.
      </Typography>
    );
  }
  const stages = stageDurations(events, now);
  const first = Date.parse(stages[0].event.at);
  const last = stages[stages.length - 1];
  return (
    <Box
      component="ol"
      aria-label="Stages"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
    >
      {stages.map(({ event, tookMs, running }) => (
        <Box
          component="li"
          key={event.id}
          display="flex"
          py={1}
          borderBottom={1}
          borderColor="divider"
          style={{ gap: 16 }}
        >
          <Box minWidth={80}>
            <Typography variant="body2" title={formatTimestamp(event.at)}>
              <time dateTime={event.at}>{timeOfDay(event.at)}</time>
            </Typography>
          </Box>
          <Box minWidth={150}>
            <ReleaseStatus status={event.to} />
            {tookMs !== undefined && (
              <Typography
                variant="caption"
                color="textSecondary"
                display="block"
              >
                {running
                  ? `${formatDuration(tookMs)} so far`
                  : `took ${formatDuration(tookMs)}`}
              </Typography>
            )}
          </Box>
          <Typography variant="body2">{event.message}</Typography>
        </Box>
      ))}
      {!last.running && stages.length > 1 && (
        <Typography component="li" variant="body2" style={{ paddingTop: 8 }}>
          Total {formatDuration(Date.parse(last.event.at) - first)}
        </Typography>
      )}
    </Box>
  );
}
