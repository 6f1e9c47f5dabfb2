import type {
  Release,
  ReleaseEvent,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

const two = (n: number) => String(n).padStart(2, '0');

/** `14:03:07` in the local time zone. */
export function clockTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(
    at.getSeconds(),
  )}`;
}

/** `2025-03-14 14:03` in the local time zone. */
export function dateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(
    at.getDate(),
  )} ${two(at.getHours())}:${two(at.getMinutes())}`;
}

/** `45s`, `2m 05s`, `1h 02m`. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${two(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h ${two(minutes % 60)}m`;
}

export function releaseDuration(release: Release): string {
  if (release.durationMs !== undefined) return duration(release.durationMs);
  if (release.startedAt && release.finishedAt) {
    return duration(
      Date.parse(release.finishedAt) - Date.parse(release.startedAt),
    );
  }
  return '-';
}

/** `14:03:07  building → built  pinned to …@sha256:…` */
export function eventLine(event: ReleaseEvent): string {
  const move = event.from ? `${event.from} → ${event.to}` : event.to;
  return `${clockTime(event.at)}  ${move}  ${event.message}`.trimEnd();
}

/** Who asked: a user's name for `user:default/jane`, else the ref as it is. */
export function requester(ref: string): string {
  const match = /^user:default\/(.+)$/.exec(ref);
  return match ? match[1] : ref;
}

/** Columns padded to their widest cell, two spaces apart. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map(row => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `v12 (6f1c1b8e-…)`: the name people use and the id commands take. */
export function releaseName(release: Release): string {
  return `${release.version} (${release.id})`;
}
