import { DoraBand } from '@autonomous-dev/backstage-plugin-autonomous-common';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/*
 * The clusters of the DORA Accelerate State of DevOps Report 2023 (DORA_BANDS_REPORT). Where
 * the report states a range ("between once per day and once per week"), a figure on the
 * boundary gets the better band; where two clusters share a range (medium and low lead time),
 * the better one is given.
 */

/**
 * Elite deploys on demand, high between daily and weekly, medium between weekly and monthly.
 * In deployment days: every working day (5 a week) is on demand, at least one a week is high,
 * at least one in 30 days is medium.
 */
export function deploymentFrequencyBand(daysPerWeek: number): DoraBand {
  if (daysPerWeek >= 5) return 'elite';
  if (daysPerWeek >= 1) return 'high';
  if (daysPerWeek >= 7 / 30) return 'medium';
  return 'low';
}

/** Elite under a day, high up to a week, medium up to a month. */
export function leadTimeBand(ms: number): DoraBand {
  if (ms < DAY) return 'elite';
  if (ms <= 7 * DAY) return 'high';
  if (ms <= 30 * DAY) return 'medium';
  return 'low';
}

/** Elite 5 %, high 10 %, medium 15 %, low 64 %. */
export function changeFailureRateBand(rate: number): DoraBand {
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

/** Elite under an hour, high under a day, medium up to a week. */
export function recoveryTimeBand(ms: number): DoraBand {
  if (ms < HOUR) return 'elite';
  if (ms < DAY) return 'high';
  if (ms <= 7 * DAY) return 'medium';
  return 'low';
}
