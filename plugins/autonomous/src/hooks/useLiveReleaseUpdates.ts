import { useEffect, useRef, useState } from 'react';
import { identityApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  releaseSignalChannel,
  ReleaseSignal,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** How often a page without signals asks again while a release is in flight. */
export const RELEASE_POLL_INTERVAL_MS = 10_000;

/**
 * The backend tells only users who read an entity in the last 10 minutes that it changed; a
 * page that stays open reads again this often so it keeps hearing.
 */
export const READER_RENEW_MS = 5 * 60_000;

/** The user the signals backend gives every WebSocket that sent no token: it hears nothing. */
const TOKENLESS_SOCKET_USER = 'user:default/guest';

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
 * signals plugin, and the guest (whom the signals backend cannot tell from a socket without a
 * token), get a poll every 10 s instead, but only while something is in flight.
 *
 * @returns whether updates arrive through signals (false: polling)
 */
export function useLiveReleaseUpdates(
  options: LiveReleaseUpdatesOptions,
): boolean {
  const { entityRef, inFlight } = options;
  const { lastSignal, isSignalsAvailable } = useSignal<ReleaseSignal>(
    releaseSignalChannel(entityRef),
  );
  const isGuest = useIsGuest();
  const onUpdate = useRef(options.onUpdate);
  onUpdate.current = options.onUpdate;

  useEffect(() => {
    if (lastSignal) {
      onUpdate.current(lastSignal);
    }
  }, [lastSignal]);

  const signalled = isSignalsAvailable && !isGuest;
  useEffect(() => {
    if (!signalled) {
      return undefined;
    }
    const timer = setInterval(() => onUpdate.current(), READER_RENEW_MS);
    return () => clearInterval(timer);
  }, [signalled]);

  const polling = !signalled && inFlight;
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

  return signalled;
}

function useIsGuest(): boolean {
  const identityApi = useApiHolder().get(identityApiRef);
  const [isGuest, setGuest] = useState(false);
  useEffect(() => {
    let live = true;
    identityApi
      ?.getBackstageIdentity()
      .then(identity => {
        if (live) setGuest(identity.userEntityRef === TOKENLESS_SOCKET_USER);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [identityApi]);
  return isGuest;
}
