import { ReleaseStatus } from './release';

/** Days a delivery metrics window may cover. @public */
export const METRICS_WINDOWS = [7, 30, 90] as const;
/** @public */
export type MetricsWindow = (typeof METRICS_WINDOWS)[number];
/** @public */
export const METRICS_BUCKETS = ['day', 'week'] as const;
/** @public */
export type MetricsBucket = (typeof METRICS_BUCKETS)[number];

/** The performance clusters of the DORA State of DevOps report. @public */
export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/** Which report the bands come from: the figures are compared with its clusters. @public */
export const DORA_BANDS_REPORT = {
  year: 2023,
  title: 'DORA Accelerate State of DevOps Report 2023',
} as const;

/**
 * What every figure carries besides its value: how many releases it rests on (`n`) out of how
 * many it could have (`N`). The releases themselves are read on demand from
 * `GET /metrics/releases` (the drill-down).
 *
 * @public
 */
export interface MetricBasis {
  n: number;
  N: number;
  /** The report cluster the value falls in; absent when nothing was measured. */
  band?: DoraBand;
}

/** @public */
export interface DeploymentFrequencyMetric extends MetricBasis {
  /** Releases that became healthy in the environment in the window (n; N = releases started). */
  deployments: number;
  /** Distinct days (UTC) with at least one of them. */
  deploymentDays: number;
  /** deploymentDays per 7 days of the window. */
  deploymentDaysPerWeek: number;
}

/** Healthy in the environment − commit time, over deployments of a change. @public */
export interface LeadTimeMetric extends MetricBasis {
  medianMs?: number;
  p90Ms?: number;
  /** Deployments without a recorded commit time: counted in N, never guessed. */
  withoutCommitTime: { count: number };
}

/** Why a release counts as a failed change. @public */
export type ChangeFailureReason =
  | 'failed'
  | 'degraded'
  | 'rolled-back'
  | 'replaced-by-earlier-digest';

/** @public */
export interface ChangeFailureRateMetric extends MetricBasis {
  /** n ÷ N, absent when N is 0. */
  rate?: number;
  /** The n failed changes by why they count as failed. */
  byReason: Record<ChangeFailureReason, number>;
}

/** From a failed change to the next healthy release in its environment. @public */
export interface RecoveryTimeMetric extends MetricBasis {
  medianMs?: number;
  /** Failures with no healthy release after them yet (N − n). */
  unrecovered: number;
}

/** One bucket of the trend (a UTC day, or 7 days from the window's start). @public */
export interface MetricsBucketFigures {
  start: string;
  end: string;
  deployments: number;
  deploymentDays: number;
  leadTimeMedianMs?: number;
  leadTimeN: number;
  failures: number;
  releases: number;
  changeFailureRate?: number;
  recoveryMedianMs?: number;
  recoveryN: number;
}

/** A release behind a figure, enough to name and link it. @public */
export interface MetricsReleaseRef {
  id: string;
  number: number;
  entityRef: string;
  environment: string;
  version: string;
  status: ReleaseStatus;
}

/** The answer of GET /metrics. @public */
export interface DeliveryMetrics {
  scope: {
    entityRef?: string;
    owner?: string;
    /** The environment counted for each project (production unless one was asked for). */
    projects: Array<{ entityRef: string; environment: string }>;
  };
  window: {
    days: MetricsWindow;
    bucket: MetricsBucket;
    since: string;
    until: string;
  };
  bands: typeof DORA_BANDS_REPORT;
  deploymentFrequency: DeploymentFrequencyMetric;
  leadTime: LeadTimeMetric;
  changeFailureRate: ChangeFailureRateMetric;
  recoveryTime: RecoveryTimeMetric;
  buckets: MetricsBucketFigures[];
}

/** The figures whose releases `GET /metrics/releases` lists. @public */
export const METRICS_FIGURES = [
  'deploymentFrequency',
  'leadTime',
  'changeFailureRate',
  'recoveryTime',
] as const;
/** @public */
export type MetricsFigure = (typeof METRICS_FIGURES)[number];

/**
 * A release behind a figure, with the times that count for it. Which releases a figure lists:
 * deploymentFrequency its deployments (n); leadTime every change deployed (N: `leadTimeMs`
 * when it has a commit time); changeFailureRate the failed changes (n, with `failure`);
 * recoveryTime every failure (N, recovered or not).
 *
 * @public
 */
export interface MetricsFigureRelease extends MetricsReleaseRef {
  createdAt: string;
  /** When it became healthy, failed or was cancelled. */
  finishedAt?: string;
  committedAt?: string;
  /** Healthy − commit time (leadTime, for a change with a commit time). */
  leadTimeMs?: number;
  /** Why it counts as a failed change (changeFailureRate, recoveryTime). */
  failure?: {
    reason: ChangeFailureReason;
    /** When it failed, turned degraded or was replaced. */
    at: string;
    /** For `replaced-by-earlier-digest`: the rollback or redeploy that replaced it. */
    replacedBy?: { id: string; number: number };
    /** The next healthy release in its environment, absent while unrecovered. */
    recoveredAt?: string;
    recoveryMs?: number;
  };
}

/** The answer of GET /metrics/releases: one page, newest release first. @public */
export interface MetricsReleasesPage {
  figure: MetricsFigure;
  /** The bucket asked for, when one was. */
  bucket?: { start: string; end: string };
  items: MetricsFigureRelease[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}
