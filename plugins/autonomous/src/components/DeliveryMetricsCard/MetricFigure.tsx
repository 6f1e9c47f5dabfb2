import {
  DoraBand,
  MetricsReleaseRef,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { ReactNode, useState } from 'react';

let figures = 0;
import { BAND_TITLES } from './format';

export interface MetricFigureProps {
  title: string;
  value: string;
  /** `3 of 5 releases …`: what the value rests on. */
  basis: string;
  band?: DoraBand;
  bandYear: number;
  /** Releases behind the figure, for the drill-down. */
  releases: MetricsReleaseRef[];
  releaseLink(release: MetricsReleaseRef): string;
  /** More words under the basis (releases without commit time, unrecovered failures). */
  note?: ReactNode;
  chart?: ReactNode;
}

/** One of the four figures: its value, band, basis, trend, and the releases behind it. */
export function MetricFigure(props: MetricFigureProps) {
  const [open, setOpen] = useState(false);
  const [listId] = useState(() => `metric-releases-${++figures}`);
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
      {props.releases.length > 0 && (
        <>
          <Button
            size="small"
            aria-expanded={open}
            aria-controls={listId}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide' : 'Show'} the {props.releases.length} release
            {props.releases.length === 1 ? '' : 's'} behind it
          </Button>
          {open && (
            <ul id={listId} aria-label={`Releases behind ${props.title}`}>
              {props.releases.map(release => (
                <li key={release.id}>
                  <Link to={props.releaseLink(release)}>
                    {release.entityRef.split('/').pop()} #{release.number}{' '}
                    {release.version}
                  </Link>{' '}
                  ({release.environment}, {release.status})
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Box>
  );
}
