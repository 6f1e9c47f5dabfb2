import {
  isReleaseInFlight,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** "45s", "3m 12s", "2h 5m": precise enough to compare releases at a glance. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) {
    return `${hours}h ${minutes}m`;
  }
  if (minutes > 0) {
    return `${minutes}m ${seconds}s`;
  }
  return `${seconds}s`;
}

/** What the duration column shows: how long it took, "running" while in flight, else "—". */
export function releaseDuration(release: Release): string {
  if (release.durationMs !== undefined) {
    return formatDuration(release.durationMs);
  }
  if (isReleaseInFlight(release.status)) {
    return release.startedAt ? 'running' : '—';
  }
  if (release.startedAt && release.finishedAt) {
    return formatDuration(
      Date.parse(release.finishedAt) - Date.parse(release.startedAt),
    );
  }
  return '—';
}

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "5 minutes ago", "yesterday"… in the reader's language. */
export function formatRelativeTime(
  timestamp: string,
  now: number = Date.now(),
): string {
  const seconds = Math.round((Date.parse(timestamp) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }
  return format.format(0, 'second');
}

/** The date and the time with its zone: "5 Dec 2026, 22:31:04 UTC", in the reader's language. */
export function formatTimestamp(timestamp: string): string {
  return new Date(timestamp).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'long',
  });
}

/** The date alone: "5 Dec 2026". */
export function formatDate(timestamp: string): string {
  return new Date(timestamp).toLocaleDateString(undefined, {
    dateStyle: 'medium',
  });
}

/** The time of day with its zone: "22:31:04 UTC". */
export function formatTimeOfDay(timestamp: string): string {
  return new Date(timestamp).toLocaleTimeString(undefined, {
    timeStyle: 'long',
  });
}
