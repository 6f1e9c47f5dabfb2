import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  RELEASE_SIGNAL_CHANNEL,
  ReleaseSignal,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** How often a page without signals asks again while a release is in flight. */
export const RELEASE_POLL_INTERVAL_MS = 10_000;

export interface LiveReleaseUpdatesOptions {
  /** Only signals about this entity's releases count. */
  entityRef: string;
  /** Only signals about this release count, when given. */
  releaseId?: string;
  /** Whether anything shown can still change; polling only runs then. */
  inFlight: boolean;
  /** Refetch: called with the signal, or without one on a poll. */
  onUpdate: (signal?: ReleaseSignal) => void;
}

/**
 * Keeps a release page current. The backend announces every release change on the signals
 * channel with ids only, so the page refetches through the permission-checked API. Apps
 * without the signals plugin get a poll every 10 s instead, but only while something is in
 * flight: a page of finished releases does not change by itself.
 *
 * @returns whether updates arrive through signals (false: polling)
 */
export function useLiveReleaseUpdates(
  options: LiveReleaseUpdatesOptions,
): boolean {
  const { entityRef, releaseId, inFlight } = options;
  const { lastSignal, isSignalsAvailable } = useSignal<
    ReleaseSignal & { [key: string]: string }
  >(RELEASE_SIGNAL_CHANNEL);
  const onUpdate = useRef(options.onUpdate);
  onUpdate.current = options.onUpdate;

  useEffect(() => {
    if (!lastSignal) {
      return;
    }
    const sameEntity =
      lastSignal.entityRef?.toLocaleLowerCase('en-US') ===
      entityRef.toLocaleLowerCase('en-US');
    if (sameEntity && (!releaseId || lastSignal.releaseId === releaseId)) {
      onUpdate.current(lastSignal);
    }
    // Only a new signal triggers a refetch, not a re-render with new options.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);

  const polling = !isSignalsAvailable && inFlight;
  useEffect(() => {
    if (!polling) {
      return undefined;
    }
    const timer = setInterval(
      () => onUpdate.current(),
      RELEASE_POLL_INTERVAL_MS,
    );
    return () => clearInterval(timer);
  }, [polling]);

  return isSignalsAvailable;
}
