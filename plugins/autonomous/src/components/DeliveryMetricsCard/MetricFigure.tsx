import {
  ChangeFailureReason,
  DoraBand,
  MetricsFigureRelease,
  MetricsReleaseRef,
  MetricsReleasesPage,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Link, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../errorMessage';

let figures = 0;
import { BAND_TITLES, formatDuration } from './format';

export interface MetricFigureProps {
  title: string;
  value: string;
  /** `3 of 5 releases …`: what the value rests on. */
  basis: string;
  band?: DoraBand;
  bandYear: number;
  /** How many releases the drill-down lists. */
  releaseCount: number;
  /** One page of the releases behind the figure, read when the drill-down opens. */
  loadReleases(cursor?: string): Promise<MetricsReleasesPage>;
  releaseLink(release: MetricsReleaseRef): string;
  /** More words under the basis (releases without commit time, unrecovered failures). */
  note?: ReactNode;
  chart?: ReactNode;
}

/** One of the four figures: its value, band, basis, trend, and the releases behind it. */
export function MetricFigure(props: MetricFigureProps) {
  const [open, setOpen] = useState(false);
  const [listId] = useState(() => `metric-releases-${++figures}`);
  const [items, setItems] = useState<MetricsFigureRelease[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const { loadReleases } = props;

  const load = useCallback(
    async (cursor?: string) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await loadReleases(cursor);
        setItems(previous =>
          cursor === undefined ? page.items : [...previous, ...page.items],
        );
        setNextCursor(page.nextCursor);
      } catch (e) {
        setError(e as Error);
      } finally {
        setLoading(false);
      }
    },
    [loadReleases],
  );

  // Other figures (a new window or bucket) make the list read so far stale: read it again.
  useEffect(() => {
    setItems([]);
    setNextCursor(undefined);
    if (open) load();
  }, [load]); // eslint-disable-line react-hooks/exhaustive-deps

  const toggle = () => {
    if (!open && items.length === 0) load();
    setOpen(!open);
  };

  return (
    <Box
      component="section"
      aria-label={props.title}
      border={1}
      borderColor="divider"
      borderRadius={4}
      padding={2}
      height="100%"
    >
      <Typography variant="subtitle2" component="h3">
        {props.title}
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="h5" component="p">
          {props.value}
        </Typography>
        {props.band && (
          <Chip
            size="small"
            label={`${BAND_TITLES[props.band]} (DORA ${props.bandYear})`}
          />
        )}
      </Box>
      <Typography variant="body2">{props.basis}</Typography>
      {props.note && <Typography variant="body2">{props.note}</Typography>}
      {props.chart}
      {props.releaseCount > 0 && (
        <>
          <Button
            size="small"
            aria-expanded={open}
            aria-controls={listId}
            onClick={toggle}
          >
            {open ? 'Hide' : 'Show'} the {props.releaseCount} release
            {props.releaseCount === 1 ? '' : 's'} behind it
          </Button>
          {open && (
            <Box id={listId}>
              {error && (
                <Typography variant="body2" role="alert">
                  Could not load the releases: {errorMessage(error)}
                </Typography>
              )}
              {items.length > 0 && (
                <ul aria-label={`Releases behind ${props.title}`}>
                  {items.map(release => (
                    <li key={release.id}>
                      <Link to={props.releaseLink(release)}>
                        {release.entityRef.split('/').pop()} #{release.number}{' '}
                        {release.version}
                      </Link>{' '}
                      ({release.environment}, {release.status}
                      {releaseDetail(release)})
                    </li>
                  ))}
                </ul>
              )}
              {loading && <Progress />}
              {!loading && nextCursor && (
                <Button size="small" onClick={() => load(nextCursor)}>
                  Show more of the {props.releaseCount}
                </Button>
              )}
            </Box>
          )}
        </>
      )}
    </Box>
  );
}

const FAILURE_REASONS: Record<ChangeFailureReason, string> = {
  failed: 'failed',
  degraded: 'turned degraded',
  'rolled-back': 'rolled back',
  'replaced-by-earlier-digest': 'replaced by an earlier digest',
};

/** The time that counts for the figure: lead time, why it failed, how long recovery took. */
function releaseDetail(release: MetricsFigureRelease): string {
  const parts: string[] = [];
  if (release.leadTimeMs !== undefined) {
    parts.push(`lead time ${formatDuration(release.leadTimeMs)}`);
  } else if (
    release.committedAt === undefined &&
    release.failure === undefined
  ) {
    parts.push('no commit time');
  }
  if (release.failure) {
    parts.push(FAILURE_REASONS[release.failure.reason]);
    if (release.failure.replacedBy) {
      parts.push(`replaced by #${release.failure.replacedBy.number}`);
    }
    parts.push(
      release.failure.recoveryMs !== undefined
        ? `recovered in ${formatDuration(release.failure.recoveryMs)}`
        : 'not recovered yet',
    );
  }
  return parts.length ? `; ${parts.join(', ')}` : '';
}
