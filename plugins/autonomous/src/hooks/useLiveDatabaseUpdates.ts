import { useLiveChannel } from './useLiveChannel';

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
  return useLiveChannel<DatabaseSignal>({
    channel: databaseSignalChannel(options.entityRef),
    inFlight: options.inFlight,
    pollIntervalMs: DATABASE_POLL_INTERVAL_MS,
    onUpdate: options.onUpdate,
  });
}
