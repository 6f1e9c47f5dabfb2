import type { DatabaseServerAddress, RealEngineName } from './options.ts';

/** The sandbox's mark on what it creates on a real server; it never touches anything else. */
export const SANDBOX_MARK = 'autonomous-sandbox';

/** A name on the real server that the sandbox did not create: it is left alone. */
export class ForeignObjectError extends Error {}

/** One real database server, driven by the sandbox as its administrator. */
export interface RealEngine {
  readonly engine: RealEngineName;
  readonly address: DatabaseServerAddress;
  /** Throws when the server cannot be reached. */
  ping(): Promise<void>;
  /**
   * Creates the database and its owner with this password. A database or user the sandbox
   * created earlier (another run) is replaced; one it did not create makes a ForeignObjectError.
   */
  provision(
    database: string,
    owner: string,
    password: string,
  ): Promise<string[]>;
  /** Creates (or resets) the read-only user of the database. */
  createReadonly(
    database: string,
    owner: string,
    user: string,
    password: string,
  ): Promise<string[]>;
  /** Drops the database and the users the sandbox made for it. */
  drop(database: string): Promise<string[]>;
  /** Dumps the database to `file`; returns what the tool did, for the Job's log. */
  backup(database: string, file: string): Promise<string[]>;
  /**
   * Restores `file` into the database, all or nothing: a corrupt dump throws a ToolError with
   * the tool's stderr and leaves the database as it was.
   */
  restore(database: string, owner: string, file: string): Promise<string[]>;
  /** The command line a Job's log shows (run as the server's administrator; no passwords). */
  describe(
    action: 'backup' | 'restore' | 'users',
    database: string,
    owner: string,
  ): string;
}

/** Only what a Kubernetes/Helm database name may hold reaches a server. */
export function checkName(what: string, name: string) {
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new Error(
      `${what} "${name}" is not a plain name (letters, digits, _ and -, at most 63)`,
    );
  }
}
