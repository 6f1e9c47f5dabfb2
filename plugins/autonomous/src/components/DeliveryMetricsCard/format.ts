import {
  DoraBand,
  MetricBasis,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const round1 = (value: number) => Math.round(value * 10) / 10;

/** `45 min`, `3.5 h`, `2.1 days`: a duration as a person reads it. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < HOUR) return `${Math.round(ms / MIN)} min`;
  if (ms < DAY) return `${round1(ms / HOUR)} h`;
  return `${round1(ms / DAY)} days`;
}

export function formatPercent(rate: number | undefined): string {
  return rate === undefined ? '—' : `${Math.round(rate * 1000) / 10} %`;
}

export const BAND_TITLES: Record<DoraBand, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/** `3 of 5 releases`: the basis a figure rests on. */
export function basisText(basis: MetricBasis, what: string): string {
  return `${basis.n} of ${basis.N} ${what}`;
}
