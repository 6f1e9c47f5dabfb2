import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import { JsonObject } from '@backstage/types';
import { useIsTokenlessUser } from './useIsTokenlessUser';

/**
 * The backend tells only users who read an entity in the last 10 minutes that it changed; a
 * page that stays open reads again this often so it keeps hearing.
 */
export const READER_RENEW_MS = 5 * 60_000;

/** What a page that stays current gives {@link useLiveChannel}. */
export interface LiveChannelOptions<T> {
  /** The entity's signals channel; the backend sends on it to the entity's readers only. */
  channel: string;
  /** Whether anything shown can still change; polling only runs then. */
  inFlight: boolean;
  /** How often to read again without signals while something is in flight. */
  pollIntervalMs: number;
  /** Read again through the permission-checked API (the signal says only what changed). */
  onUpdate: (signal?: T) => void;
}

/**
 * Keeps a page current from one signals channel: a signal makes it read again, and it reads
 * again every few minutes so the backend keeps counting it among the entity's readers. Apps
 * without the signals plugin, and the guest (whom the signals backend cannot tell from a
 * socket without a token), poll instead, but only while something is in flight.
 *
 * @returns whether updates arrive through signals (false: polling)
 */
export function useLiveChannel<T extends JsonObject>(
  options: LiveChannelOptions<T>,
): boolean {
  const { channel, inFlight, pollIntervalMs } = options;
  const { lastSignal, isSignalsAvailable } = useSignal<T>(channel);
  const isGuest = useIsTokenlessUser();
  const onUpdate = useRef(options.onUpdate);
  onUpdate.current = options.onUpdate;

  useEffect(() => {
    if (lastSignal) onUpdate.current(lastSignal);
  }, [lastSignal]);

  const signalled = isSignalsAvailable && !isGuest;
  useEffect(() => {
    if (!signalled) return undefined;
    const timer = setInterval(() => onUpdate.current(), READER_RENEW_MS);
    return () => clearInterval(timer);
  }, [signalled]);

  const polling = !signalled && inFlight;
  useEffect(() => {
    if (!polling) return undefined;
    const timer = setInterval(() => onUpdate.current(), pollIntervalMs);
    return () => clearInterval(timer);
  }, [polling, pollIntervalMs]);

  return signalled;
}
