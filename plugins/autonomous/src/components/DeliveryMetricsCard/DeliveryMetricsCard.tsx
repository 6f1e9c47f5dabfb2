import {
  DeliveryMetrics,
  METRICS_FIGURES,
  METRICS_WINDOWS,
  MetricsBucket,
  MetricsFigure,
  MetricsReleaseRef,
  MetricsReleasesPage,
  MetricsWindow,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import Typography from '@material-ui/core/Typography';
import { useCallback, useMemo, useState } from 'react';
import { autonomousApiRef } from '../../api';
import { MetricsQuery } from '../../api/dashboardTypes';
import { errorMessage } from '../../errorMessage';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { basisText, formatDuration, formatPercent } from './format';
import { MetricFigure } from './MetricFigure';
import { TrendChart } from './TrendChart';

export interface DeliveryMetricsCardProps {
  /** One project (`entityRef`) or a team (`owner`). */
  scope: Pick<MetricsQuery, 'entityRef' | 'owner' | 'environment'>;
  title?: string;
  /** Where a release behind a figure opens: its project's Releases tab. */
  releaseLink(release: MetricsReleaseRef): string;
}

/** The four delivery figures over 7, 30 or 90 days, each with its basis and its releases. */
export function DeliveryMetricsCard(props: DeliveryMetricsCardProps) {
  const api = useApi(autonomousApiRef);
  const [window, setWindow] = useState<MetricsWindow>(30);
  const [bucket, setBucket] = useState<MetricsBucket>('week');
  const { entityRef, owner, environment } = props.scope;
  const metrics = useLiveAsync(
    () =>
      api.getDeliveryMetrics({
        ...(entityRef ? { entityRef } : { owner: owner! }),
        environment,
        window,
        bucket,
      }),
    [api, entityRef, owner, environment, window, bucket],
  );
  // The drill-down reads a figure's releases when it is opened, with the figures' own query;
  // a new answer (a live update) makes an open list read again.
  const answered = metrics.value;
  const loadReleases = useCallback(
    (figure: MetricsFigure, cursor?: string) =>
      api.listMetricsReleases({
        ...(entityRef ? { entityRef } : { owner: owner! }),
        environment,
        window,
        bucket,
        figure,
        cursor,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, owner, environment, window, bucket, answered],
  );

  return (
    <InfoCard title={props.title ?? 'Delivery metrics'}>
      <Box display="flex" style={{ gap: 16 }} marginBottom={2}>
        <FormControl>
          <InputLabel htmlFor="metrics-window" shrink>
            Window
          </InputLabel>
          <NativeSelect
            id="metrics-window"
            value={window}
            onChange={e => setWindow(Number(e.target.value) as MetricsWindow)}
          >
            {METRICS_WINDOWS.map(days => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </NativeSelect>
        </FormControl>
        <FormControl>
          <InputLabel htmlFor="metrics-bucket" shrink>
            Trend by
          </InputLabel>
          <NativeSelect
            id="metrics-bucket"
            value={bucket}
            onChange={e => setBucket(e.target.value as MetricsBucket)}
          >
            <option value="day">day</option>
            <option value="week">week</option>
          </NativeSelect>
        </FormControl>
      </Box>
      {metrics.error && (
        <WarningPanel
          title="Could not load the delivery metrics"
          message={errorMessage(metrics.error)}
        />
      )}
      {metrics.loading && !metrics.value && <Progress />}
      {metrics.value && (
        <Figures
          metrics={metrics.value}
          releaseLink={props.releaseLink}
          loadReleases={loadReleases}
        />
      )}
    </InfoCard>
  );
}

function Figures({
  metrics,
  releaseLink,
  loadReleases,
}: {
  metrics: DeliveryMetrics;
  releaseLink(release: MetricsReleaseRef): string;
  loadReleases(
    figure: MetricsFigure,
    cursor?: string,
  ): Promise<MetricsReleasesPage>;
}) {
  const loaders = useMemo(
    () =>
      Object.fromEntries(
        METRICS_FIGURES.map(figure => [
          figure,
          (cursor?: string) => loadReleases(figure, cursor),
        ]),
      ) as Record<
        MetricsFigure,
        (cursor?: string) => Promise<MetricsReleasesPage>
      >,
    [loadReleases],
  );
  const { deploymentFrequency: df, leadTime: lt } = metrics;
  const { changeFailureRate: cfr, recoveryTime: rt } = metrics;
  const year = metrics.bands.year;
  const environments = [
    ...new Set(metrics.scope.projects.map(p => p.environment)),
  ];
  return (
    <>
      <Typography variant="body2" paragraph>
        {metrics.scope.projects.length} project
        {metrics.scope.projects.length === 1 ? '' : 's'} in{' '}
        {environments.join(', ') || 'no environment'}, from{' '}
        {metrics.window.since.slice(0, 10)} to{' '}
        {metrics.window.until.slice(0, 10)}. Bands from the{' '}
        {metrics.bands.title}.
      </Typography>
      <Grid container spacing={2}>
        <Grid item xs={12} md={6} lg={3}>
          <MetricFigure
            title="Deployment frequency"
            value={`${df.deploymentDaysPerWeek} days/week`}
            basis={`${df.deployments} deployments on ${
              df.deploymentDays
            } days; ${basisText(df, 'releases became healthy')}`}
            band={df.band}
            bandYear={year}
            releaseCount={df.n}
            loadReleases={loaders.deploymentFrequency}
            releaseLink={releaseLink}
            chart={
              <TrendChart
                label="Deployments"
                buckets={metrics.buckets}
                value={b => b.deployments}
                format={v => String(v)}
              />
            }
          />
        </Grid>
        <Grid item xs={12} md={6} lg={3}>
          <MetricFigure
            title="Lead time for changes"
            value={`${formatDuration(lt.medianMs)} median`}
            basis={`${basisText(
              lt,
              'changes with a commit time',
            )}; p90 ${formatDuration(lt.p90Ms)}`}
            note={
              lt.withoutCommitTime.count > 0
                ? `${lt.withoutCommitTime.count} without a commit time, not counted`
                : undefined
            }
            band={lt.band}
            bandYear={year}
            releaseCount={lt.N}
            loadReleases={loaders.leadTime}
            releaseLink={releaseLink}
            chart={
              <TrendChart
                label="Median lead time"
                buckets={metrics.buckets}
                value={b => b.leadTimeMedianMs}
                format={formatDuration}
              />
            }
          />
        </Grid>
        <Grid item xs={12} md={6} lg={3}>
          <MetricFigure
            title="Change failure rate"
            value={formatPercent(cfr.rate)}
            basis={basisText(cfr, 'changes failed')}
            band={cfr.band}
            bandYear={year}
            releaseCount={cfr.n}
            loadReleases={loaders.changeFailureRate}
            releaseLink={releaseLink}
            chart={
              <TrendChart
                label="Change failure rate"
                buckets={metrics.buckets}
                value={b => b.changeFailureRate}
                format={formatPercent}
              />
            }
          />
        </Grid>
        <Grid item xs={12} md={6} lg={3}>
          <MetricFigure
            title="Failed deployment recovery time"
            value={`${formatDuration(rt.medianMs)} median`}
            basis={basisText(rt, 'failures recovered')}
            note={
              rt.unrecovered > 0
                ? `${rt.unrecovered} not recovered yet`
                : undefined
            }
            band={rt.band}
            bandYear={year}
            releaseCount={rt.N}
            loadReleases={loaders.recoveryTime}
            releaseLink={releaseLink}
            chart={
              <TrendChart
                label="Median recovery time"
                buckets={metrics.buckets}
                value={b => b.recoveryMedianMs}
                format={formatDuration}
              />
            }
          />
        </Grid>
      </Grid>
    </>
  );
}
