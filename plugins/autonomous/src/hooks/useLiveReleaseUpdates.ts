import {
  releaseSignalChannel,
  ReleaseSignal,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useLiveChannel } from './useLiveChannel';

/** How often a page without signals asks again while a release is in flight. */
export const RELEASE_POLL_INTERVAL_MS = 10_000;

export interface LiveReleaseUpdatesOptions {
  /** Signals about this entity's releases count. */
  entityRef: string;
  /**
   * The release shown, when one is. Signals say only that something of the entity changed,
   * never which release, so any change refreshes it.
   */
  releaseId?: string;
  /** Whether anything shown can still change; polling only runs then. */
  inFlight: boolean;
  /** Refetch through the permission-checked API. */
  onUpdate: (signal?: ReleaseSignal) => void;
}

/**
 * Keeps a release page current. The backend announces a change of an entity's releases on
 * that entity's own channel, to the users who read them through the permission-checked API
 * and to nobody else, with nothing in the message: the page refetches. Apps without the
 * signals plugin, and the guest, get a poll every 10 s instead, but only while something is in
 * flight.
 *
 * @returns whether updates arrive through signals (false: polling)
 */
export function useLiveReleaseUpdates(
  options: LiveReleaseUpdatesOptions,
): boolean {
  return useLiveChannel<ReleaseSignal>({
    channel: releaseSignalChannel(options.entityRef),
    inFlight: options.inFlight,
    pollIntervalMs: RELEASE_POLL_INTERVAL_MS,
    onUpdate: options.onUpdate,
  });
}
