import Typography from '@material-ui/core/Typography';
import {
  formatDate,
  formatRelativeTime,
  formatTimeOfDay,
} from '../ReleasesTable/time';

export interface TimestampProps {
  at: string;
  /** Say how long ago beside the date and time: for lists read at a glance. */
  relative?: boolean;
}

/**
 * The one way the Releases tab writes a point in time: the date and time with its zone as
 * text (read by screen readers, and visible without hovering), how long ago beside it.
 */
export function Timestamp({ at, relative }: TimestampProps) {
  return (
    <>
      {/* Date and time each stay whole; a narrow column breaks the line between them. */}
      <time dateTime={at}>
        <span style={{ whiteSpace: 'nowrap' }}>{formatDate(at)}</span>{' '}
        <span style={{ whiteSpace: 'nowrap' }}>{formatTimeOfDay(at)}</span>
      </time>
      {relative && (
        <Typography
          component="span"
          variant="caption"
          color="textSecondary"
          display="block"
        >
          {formatRelativeTime(at)}
        </Typography>
      )}
    </>
  );
}
