import { useEffect, useRef } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { useIsTokenlessUser } from './useIsTokenlessUser';

/** Signals that arrive within this long of each other cause one read, not one each. */
export const SIGNAL_COALESCE_MS = 250;

/**
 * Listens on many entities' signals channels at once, as a listing of many entities must
 * (`useSignal` takes one channel per hook call). Any message on any of them calls `onUpdate`,
 * once per burst: the page reads again through the permission-checked API, since a message
 * says only that something changed. The guest, whom the signals backend cannot tell from a
 * socket without a token, never hears anything, so it does not subscribe.
 *
 * @returns whether updates arrive through signals (false: the caller must poll)
 */
export function useLiveChannels(
  channels: string[],
  onUpdate: () => void,
): boolean {
  const signals = useApiHolder().get(signalApiRef);
  const isGuest = useIsTokenlessUser();
  const latest = useRef(onUpdate);
  latest.current = onUpdate;
  // The same channels in another order, or read again, keep their subscriptions.
  const key = [...new Set(channels)].sort().join('\n');
  const signalled = !!signals && !isGuest;

  useEffect(() => {
    if (!signals || isGuest || !key) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        latest.current();
      }, SIGNAL_COALESCE_MS);
    };
    const subscriptions = key
      .split('\n')
      .map(channel => signals.subscribe(channel, heard));
    return () => {
      subscriptions.forEach(s => s.unsubscribe());
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [signals, isGuest, key]);

  return signalled;
}
