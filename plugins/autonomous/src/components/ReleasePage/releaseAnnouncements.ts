import { useCallback, useRef, useState } from 'react';
import {
  Release,
  ReleaseEvent,
  releaseName,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { releaseStatusLabel } from '../ReleaseStatus';
import { formatDuration } from '../ReleasesTable/time';

/**
 * Releases created this long before the page opened are history: seeing them for the first
 * time says nothing new. Later ones started while the reader was here, and are announced.
 */
const ALREADY_THERE_MS = 5_000;

/** One sentence for a release's move, as a screen reader should say it. */
export function announcementOf(
  release: Release,
  events?: ReleaseEvent[],
): string {
  const subject = `${releaseName(release)} to ${release.environment}`;
  if (release.status === 'healthy') {
    const took =
      release.durationMs ??
      (release.startedAt && release.finishedAt
        ? Date.parse(release.finishedAt) - Date.parse(release.startedAt)
        : undefined);
    return took === undefined
      ? `${subject}: healthy`
      : `${subject}: healthy after ${formatDuration(took)}`;
  }
  if (release.status === 'failed') {
    const last = events?.length
      ? events.reduce((a, b) => (Date.parse(b.at) >= Date.parse(a.at) ? b : a))
      : undefined;
    return last?.to === 'failed' && last.message
      ? `${subject}: failed: ${last.message}`
      : `${subject}: failed`;
  }
  return `${subject}: ${releaseStatusLabel(release.status)}`;
}

export interface ReleaseAnnouncer {
  /** The latest announcement, for the page's one polite live region. */
  announcement: string;
  /** Tell the announcer what a part of the page has just read about some releases. */
  observe(releases: Array<Release & { events?: ReleaseEvent[] }>): void;
}

/**
 * Turns what the page reads (the history, the environments, the open release) into one
 * sentence per move of a release. Each release's status is remembered, so a move seen by
 * several parts of the page is announced once.
 */
export function useReleaseAnnouncer(
  /**
   * The stages of a release, read when it failed and the page had only its summary: the
   * last stage says why, and "failed" alone tells a listener nothing to act on.
   */
  readEvents?: (releaseId: string) => Promise<ReleaseEvent[]>,
): ReleaseAnnouncer {
  const openedAt = useRef(Date.now());
  const known = useRef(new Map<string, Release['status']>());
  const [announcement, setAnnouncement] = useState('');

  const observe = useCallback(
    (releases: Array<Release & { events?: ReleaseEvent[] }>) => {
      const sentences: string[] = [];
      for (const release of releases) {
        const before = known.current.get(release.id);
        known.current.set(release.id, release.status);
        if (before === release.status) {
          continue;
        }
        const alreadyThere =
          before === undefined &&
          Date.parse(release.createdAt) < openedAt.current - ALREADY_THERE_MS;
        if (alreadyThere) {
          continue;
        }
        if (release.status === 'failed' && !release.events && readEvents) {
          readEvents(release.id).then(
            events => setAnnouncement(announcementOf(release, events)),
            () => setAnnouncement(announcementOf(release)),
          );
          continue;
        }
        sentences.push(announcementOf(release, release.events));
      }
      if (sentences.length) {
        setAnnouncement(sentences.join('. '));
      }
    },
    [readEvents],
  );

  return { announcement, observe };
}
