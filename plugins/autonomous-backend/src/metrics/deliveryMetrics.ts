import {
  ChangeFailureRateMetric,
  ChangeFailureReason,
  DeliveryMetrics,
  DeploymentFrequencyMetric,
  DORA_BANDS_REPORT,
  isReleaseInFlight,
  LeadTimeMetric,
  MetricsBucket,
  MetricsBucketFigures,
  MetricsFigure,
  MetricsFigureRelease,
  MetricsWindow,
  RecoveryTimeMetric,
  ReleaseStatus,
  ReleaseTrigger,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  changeFailureRateBand,
  deploymentFrequencyBand,
  leadTimeBand,
  recoveryTimeBand,
} from './bands';

const DAY = 86_400_000;

/** A release as the metrics read it: times in epoch milliseconds. */
export interface MetricsRelease {
  id: string;
  /** Orders a project's releases (the table's sequence). */
  seq: number;
  number: number;
  entityRef: string;
  environment: string;
  version: string;
  status: ReleaseStatus;
  trigger: ReleaseTrigger;
  imageRef?: string;
  createdAt: number;
  finishedAt?: number;
  committedAt?: number;
  /** When it turned degraded, for releases that did. */
  degradedAt?: number;
}

export interface MetricsInput {
  /** The releases of the counted project environments created from a little before `since`. */
  releases: MetricsRelease[];
  /**
   * Digests that were healthy in a project environment before the releases given:
   * `digestKey(entityRef, environment, imageRef)`.
   */
  earlierDigests: Set<string>;
  days: MetricsWindow;
  bucket: MetricsBucket;
  /** The end of the window. */
  now: Date;
}

export const digestKey = (
  entityRef: string,
  environment: string,
  imageRef: string,
) => `${entityRef}\u0000${environment}\u0000${imageRef}`;

/** The window ends now and starts at the beginning of the UTC day `days - 1` days before. */
export function metricsWindow(days: number, now: Date) {
  const today = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  return { since: today - (days - 1) * DAY, until: now.getTime() };
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The nearest-rank percentile: a value that occurred, never an interpolation. */
export function percentile(values: number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Failure {
  release: MetricsRelease;
  reason: ChangeFailureReason;
  replacedBy?: string;
  at: number;
  recoveredAt?: number;
}

/**
 * What one project environment's history says: which releases are deployments (healthy),
 * which are changes (not a redeploy of a digest that already ran there: rollbacks, restarts),
 * and which changes failed — failed, turned degraded, rolled back, or replaced by a rollback
 * or redeploy of an earlier digest (the Datadog rule: in V1 → V2 → back to V1, V2 failed).
 */
function readSeries(series: MetricsRelease[], earlierDigests: Set<string>) {
  // A series is one project environment: its digests are told apart by image alone.
  const healthyImages = new Set<string>();
  const ranBefore = (release: MetricsRelease) =>
    !!release.imageRef &&
    (healthyImages.has(release.imageRef) ||
      earlierDigests.has(
        digestKey(release.entityRef, release.environment, release.imageRef),
      ));
  const remediations = new Set<string>();
  const replaced = new Map<string, string>();
  let running: MetricsRelease | undefined;
  const healthyByTime = series
    .filter(r => r.status === 'healthy' && r.finishedAt !== undefined)
    .sort((a, b) => a.finishedAt! - b.finishedAt!);
  const runningAt = (at: number) => {
    let last: MetricsRelease | undefined;
    for (const r of healthyByTime) {
      if (r.finishedAt! > at) break;
      last = r;
    }
    return last;
  };
  for (const release of series) {
    if (
      release.trigger === 'rollback' ||
      (release.trigger === 'redeploy' && ranBefore(release))
    ) {
      remediations.add(release.id);
      running = runningAt(release.createdAt);
      if (
        release.status !== 'cancelled' &&
        running &&
        running.imageRef !== release.imageRef &&
        !replaced.has(running.id)
      ) {
        replaced.set(running.id, release.id);
      }
    }
    if (release.imageRef && release.status === 'healthy') {
      healthyImages.add(release.imageRef);
    }
  }

  const failures = new Map<string, Failure>();
  for (const release of series) {
    if (remediations.has(release.id)) continue;
    const failure = failureOf(release, replaced.get(release.id));
    if (!failure) continue;
    failure.recoveredAt = healthyByTime.find(
      r =>
        r.id !== release.id &&
        r.seq > release.seq &&
        r.finishedAt! > failure.at,
    )?.finishedAt;
    failures.set(release.id, failure);
  }
  return { remediations, failures };
}

function failureOf(
  release: MetricsRelease,
  replacedBy: string | undefined,
): Failure | undefined {
  const finished = release.finishedAt ?? release.createdAt;
  switch (release.status) {
    case 'failed':
      return {
        release,
        reason: release.degradedAt ? 'degraded' : 'failed',
        at: release.degradedAt ?? finished,
      };
    case 'degraded':
    case 'rolling-back':
      return {
        release,
        reason: 'degraded',
        at: release.degradedAt ?? finished,
      };
    case 'rolled-back':
      return {
        release,
        reason: 'rolled-back',
        at: release.degradedAt ?? finished,
      };
    default:
      return replacedBy
        ? {
            release,
            reason: 'replaced-by-earlier-digest',
            replacedBy,
            at: finished,
          }
        : undefined;
  }
}

/**
 * Which releases of the input each figure rests on: deployments, changes, counted releases,
 * failed changes and failures, each in the order of the series (the table's sequence within a
 * project environment). Shared by the figures and by the drill-down, so both count the same.
 */
function classify(input: MetricsInput) {
  const { since, until } = metricsWindow(input.days, input.now);
  const inWindow = (t: number | undefined) =>
    t !== undefined && t >= since && t <= until;

  // Series in the order their first release came, found by project, then environment.
  const seriesList: MetricsRelease[][] = [];
  const bySeries = new Map<string, Map<string, MetricsRelease[]>>();
  for (const r of [...input.releases].sort((a, b) => a.seq - b.seq)) {
    let environments = bySeries.get(r.entityRef);
    if (!environments) {
      environments = new Map();
      bySeries.set(r.entityRef, environments);
    }
    const series = environments.get(r.environment);
    if (series) series.push(r);
    else {
      const started = [r];
      environments.set(r.environment, started);
      seriesList.push(started);
    }
  }
  const remediations = new Set<string>();
  const failures = new Map<string, Failure>();
  for (const series of seriesList) {
    const read = readSeries(series, input.earlierDigests);
    read.remediations.forEach(id => remediations.add(id));
    read.failures.forEach((f, id) => failures.set(id, f));
  }

  const all = seriesList.flat();
  const deployments = all.filter(
    r => r.status === 'healthy' && inWindow(r.finishedAt),
  );
  const started = all.filter(r => inWindow(r.createdAt));
  // Changes that finished: rollbacks and redeploys of a digest that ran are remediations.
  const counted = started.filter(
    r =>
      !remediations.has(r.id) &&
      r.status !== 'cancelled' &&
      !isReleaseInFlight(r.status),
  );
  const changes = deployments.filter(r => !remediations.has(r.id));
  const failed = counted.filter(r => failures.has(r.id));
  const windowFailures = failed.map(r => failures.get(r.id)!);
  return {
    since,
    until,
    all,
    deployments,
    started,
    counted,
    changes,
    failed,
    failures,
    windowFailures,
  };
}

const dayOf = (t: number) => Math.floor(t / DAY);
const leadMs = (r: MetricsRelease) =>
  Math.max(0, r.finishedAt! - r.committedAt!);
const recoveryMs = (f: Failure) => f.recoveredAt! - f.at;

/** The length of a bucket. */
export const bucketStep = (bucket: MetricsBucket) =>
  bucket === 'day' ? DAY : 7 * DAY;

/**
 * The four delivery figures of the releases given, over the window and per bucket. Medians,
 * never means; every figure says how many releases it rests on (n of N). The releases
 * themselves are listed by `metricsFigureReleases`, on demand.
 */
export function computeDeliveryMetrics(
  input: MetricsInput,
): Pick<
  DeliveryMetrics,
  | 'window'
  | 'bands'
  | 'deploymentFrequency'
  | 'leadTime'
  | 'changeFailureRate'
  | 'recoveryTime'
  | 'buckets'
> {
  const c = classify(input);
  const { since, until, deployments, started, counted, changes } = c;
  const { failed, failures, windowFailures } = c;
  const withCommit = changes.filter(r => r.committedAt !== undefined);
  const recovered = windowFailures.filter(f => f.recoveredAt !== undefined);
  const days = (rs: MetricsRelease[]) =>
    new Set(rs.map(r => dayOf(r.finishedAt!))).size;

  const deploymentDays = days(deployments);
  const perWeek = deploymentDays / (input.days / 7);
  const deploymentFrequency: DeploymentFrequencyMetric = {
    n: deployments.length,
    N: started.length,
    deployments: deployments.length,
    deploymentDays,
    deploymentDaysPerWeek: round(perWeek),
    band: started.length ? deploymentFrequencyBand(perWeek) : undefined,
  };
  const leadTimes = withCommit.map(leadMs);
  const leadMedian = median(leadTimes);
  const leadTime: LeadTimeMetric = {
    n: withCommit.length,
    N: changes.length,
    medianMs: leadMedian,
    p90Ms: percentile(leadTimes, 90),
    band: leadMedian === undefined ? undefined : leadTimeBand(leadMedian),
    withoutCommitTime: { count: changes.length - withCommit.length },
  };
  const rate = counted.length ? failed.length / counted.length : undefined;
  const byReason: Record<ChangeFailureReason, number> = {
    failed: 0,
    degraded: 0,
    'rolled-back': 0,
    'replaced-by-earlier-digest': 0,
  };
  for (const f of windowFailures) byReason[f.reason] += 1;
  const changeFailureRate: ChangeFailureRateMetric = {
    n: failed.length,
    N: counted.length,
    rate: rate === undefined ? undefined : round(rate),
    band: rate === undefined ? undefined : changeFailureRateBand(rate),
    byReason,
  };
  const recoveryMedian = median(recovered.map(recoveryMs));
  const recoveryTime: RecoveryTimeMetric = {
    n: recovered.length,
    N: windowFailures.length,
    medianMs: recoveryMedian,
    band:
      recoveryMedian === undefined
        ? undefined
        : recoveryTimeBand(recoveryMedian),
    unrecovered: windowFailures.length - recovered.length,
  };

  // Each release goes to its bucket in one pass (a filter per bucket was 90 passes over a
  // team's releases for daily buckets); within a bucket the order stays the window's.
  const step = bucketStep(input.bucket);
  const count = Math.floor((until - since) / step) + 1;
  const groups = Array.from({ length: count }, () => ({
    deployments: [] as MetricsRelease[],
    leads: [] as MetricsRelease[],
    counted: [] as MetricsRelease[],
    recovered: [] as Failure[],
  }));
  const bucketOf = (t: number | undefined) =>
    t === undefined || t < since || t > until
      ? undefined
      : groups[Math.floor((t - since) / step)];
  deployments.forEach(r => bucketOf(r.finishedAt)?.deployments.push(r));
  withCommit.forEach(r => bucketOf(r.finishedAt)?.leads.push(r));
  counted.forEach(r => bucketOf(r.createdAt)?.counted.push(r));
  recovered.forEach(f => bucketOf(f.at)?.recovered.push(f));
  const buckets: MetricsBucketFigures[] = groups.map((group, i) => {
    const start = since + i * step;
    const end = Math.min(start + step, until + 1);
    const bucketFailed = group.counted.filter(r => failures.has(r.id));
    return {
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      deployments: group.deployments.length,
      deploymentDays: days(group.deployments),
      leadTimeMedianMs: median(group.leads.map(leadMs)),
      leadTimeN: group.leads.length,
      failures: bucketFailed.length,
      releases: group.counted.length,
      changeFailureRate: group.counted.length
        ? round(bucketFailed.length / group.counted.length)
        : undefined,
      recoveryMedianMs: median(group.recovered.map(recoveryMs)),
      recoveryN: group.recovered.length,
    };
  });

  return {
    window: {
      days: input.days,
      bucket: input.bucket,
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
    },
    bands: DORA_BANDS_REPORT,
    deploymentFrequency,
    leadTime,
    changeFailureRate,
    recoveryTime,
    buckets,
  };
}

/** One page of a figure's releases, newest (highest sequence) first. */
export interface FigureReleasesRequest {
  figure: MetricsFigure;
  /** Only the bucket starting here (epoch ms, one of the window's bucket starts). */
  bucketStart?: number;
  /** Only releases older than this sequence: the last of the previous page. */
  beforeSeq?: number;
  limit: number;
}

/**
 * The releases behind one figure (optionally of one bucket, placed as the trend places them:
 * deployments and lead times by when they became healthy, failures by when the change
 * started, recoveries by when the failure happened), newest first, one page of them.
 */
export function metricsFigureReleases(
  input: MetricsInput,
  request: FigureReleasesRequest,
): { items: MetricsFigureRelease[]; lastSeq?: number } {
  const c = classify(input);
  const bucketEnd =
    request.bucketStart === undefined
      ? undefined
      : Math.min(request.bucketStart + bucketStep(input.bucket), c.until + 1);
  const inBucket = (t: number | undefined) =>
    request.bucketStart === undefined ||
    (t !== undefined && t >= request.bucketStart && t < bucketEnd!);
  let chosen: Array<{ release: MetricsRelease; failure?: Failure }>;
  switch (request.figure) {
    case 'deploymentFrequency':
      chosen = c.deployments
        .filter(r => inBucket(r.finishedAt))
        .map(release => ({ release }));
      break;
    case 'leadTime':
      chosen = c.changes
        .filter(r => inBucket(r.finishedAt))
        .map(release => ({ release }));
      break;
    case 'changeFailureRate':
      chosen = c.failed
        .filter(r => inBucket(r.createdAt))
        .map(release => ({ release, failure: c.failures.get(release.id) }));
      break;
    default:
      chosen = c.windowFailures
        .filter(f => inBucket(f.at))
        .map(failure => ({ release: failure.release, failure }));
  }
  const page = chosen
    .filter(
      ({ release }) =>
        request.beforeSeq === undefined || release.seq < request.beforeSeq,
    )
    .sort((a, b) => b.release.seq - a.release.seq)
    .slice(0, request.limit + 1);
  const shown = page.slice(0, request.limit);
  const byId = new Map(c.all.map(r => [r.id, r]));
  const iso = (t: number | undefined) =>
    t === undefined ? undefined : new Date(t).toISOString();
  const items = shown.map(({ release: r, failure: f }) => {
    const item: MetricsFigureRelease = {
      id: r.id,
      number: r.number,
      entityRef: r.entityRef,
      environment: r.environment,
      version: r.version,
      status: r.status,
      createdAt: iso(r.createdAt)!,
    };
    if (r.finishedAt !== undefined) item.finishedAt = iso(r.finishedAt);
    if (r.committedAt !== undefined) item.committedAt = iso(r.committedAt);
    if (request.figure === 'leadTime' && r.committedAt !== undefined) {
      item.leadTimeMs = leadMs(r);
    }
    if (f) {
      const replacedBy = f.replacedBy ? byId.get(f.replacedBy) : undefined;
      item.failure = {
        reason: f.reason,
        at: iso(f.at)!,
        ...(replacedBy
          ? { replacedBy: { id: replacedBy.id, number: replacedBy.number } }
          : {}),
        ...(f.recoveredAt !== undefined
          ? { recoveredAt: iso(f.recoveredAt), recoveryMs: recoveryMs(f) }
          : {}),
      };
    }
    return item;
  });
  return {
    items,
    lastSeq:
      page.length > request.limit
        ? shown[shown.length - 1].release.seq
        : undefined,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
