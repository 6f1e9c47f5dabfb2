import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  isTerminalReleaseStatus,
  ReleaseEvent,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ReleaseStatus } from '../ReleaseStatus';
import { formatDuration } from '../ReleasesTable/time';
import { Timestamp } from '../Timestamp';

export interface StageTimelineProps {
  events: ReleaseEvent[];
  /** For the stage still running: how long so far. The current time when not given. */
  now?: number;
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

/** The current time, read again every second while `ticking`. */
function useClock(ticking: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!ticking) {
      return undefined;
    }
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/** The release's stages in order: when each began, how long it took, and what happened. */
export function StageTimeline({ events, now: fixedNow }: StageTimelineProps) {
  const lastEvent = events.length
    ? events.reduce((a, b) => (Date.parse(b.at) >= Date.parse(a.at) ? b : a))
    : undefined;
  const clock = useClock(
    fixedNow === undefined &&
      lastEvent !== undefined &&
      !isTerminalReleaseStatus(lastEvent.to),
  );
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No stage recorded yet.
      </Typography>
    );
  }
  const stages = stageDurations(events, fixedNow ?? clock);
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
          flexWrap="wrap"
          py={1}
          borderBottom={1}
          borderColor="divider"
          style={{ columnGap: 16 }}
        >
          <Box width={150} flexShrink={0}>
            <ReleaseStatus status={event.to} finished={!running} />
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
          <Box flex="1 1 240px" minWidth={0}>
            <Typography
              variant="body2"
              style={{ overflowWrap: 'anywhere', wordBreak: 'normal' }}
            >
              {event.message}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              <Timestamp at={event.at} />
            </Typography>
          </Box>
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
