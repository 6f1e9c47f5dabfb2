import { useEffect, useRef } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import { READER_RENEW_MS } from './useLiveReleaseUpdates';
import { useIsTokenlessUser } from './useIsTokenlessUser';

/** How often a page without signals asks again while something of a database is under way. */
export const DATABASE_POLL_INTERVAL_MS = 5_000;

/** What a database signal says changed; the page reads it again through the API. */
export type DatabaseSignal =
  | { type: 'database'; databaseId: string }
  | { type: 'backup'; databaseId: string; backupId: string };

/** The signals channel of one entity's databases, to its readers only (as the releases'). */
export function databaseSignalChannel(entityRef: string): string {
  return `autonomous:databases:${entityRef.toLocaleLowerCase('en-US')}`;
}

/**
 * Keeps the Database tab current: a signal on the entity's databases channel makes it read
 * again; without the signals plugin, and for the guest (whom the signals backend cannot tell
 * from a socket without a token), it asks every 5 seconds while something is under way.
 *
 * @returns whether updates arrive through signals (false: polling)
 */
export function useLiveDatabaseUpdates(options: {
  entityRef: string;
  /** Whether anything shown can still change: provisioning, a backup running, a delete. */
  inFlight: boolean;
  onUpdate: (signal?: DatabaseSignal) => void;
}): boolean {
  const { entityRef, inFlight } = options;
  const { lastSignal, isSignalsAvailable } = useSignal<DatabaseSignal>(
    databaseSignalChannel(entityRef),
  );
  const isGuest = useIsTokenlessUser();
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
    // The backend signals only recent readers: reading again now and then keeps hearing.
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
      DATABASE_POLL_INTERVAL_MS,
    );
    return () => clearInterval(timer);
  }, [polling]);

  return signalled;
}
