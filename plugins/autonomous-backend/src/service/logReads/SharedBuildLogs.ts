import { setTimeout as delay } from 'node:timers/promises';
import { formatBytes } from './logLimits';

/** One read of a build log from byte `start`, as the Jenkins client answers it. */
export type ReadBuildLogPiece = (
  start: number,
) => Promise<{ text: string; nextStart: number; more: boolean }>;

/** One build's log as one poller has read it so far, shared by everyone who follows it. */
interface SharedLog {
  pieces: string[];
  bytes: number;
  done: boolean;
  error?: unknown;
  followers: number;
  stop: AbortController;
  changed: Set<() => void>;
}

/**
 * Followed build logs: one poller per build, however many follow it. Each follower reads the
 * pieces the poller keeps (so a late follower still starts at the first line); the pieces
 * are kept only while someone follows, and at most `maxBytes` of them.
 */
export class SharedBuildLogs {
  private readonly logs = new Map<string, SharedLog>();

  constructor(
    private readonly options: { pollIntervalMs: number; maxBytes: number },
  ) {}

  /** Builds being polled now (one per followed build). */
  get pollers(): number {
    return this.logs.size;
  }

  /**
   * The log of the build `key` names, piece by piece as it grows, until the build ends or
   * `signal` aborts. The first piece may be `''`: the build was found.
   */
  async *follow(
    key: string,
    read: ReadBuildLogPiece,
    signal: AbortSignal,
  ): AsyncGenerator<string> {
    const log = this.join(key, read);
    try {
      let next = 0;
      for (;;) {
        while (next < log.pieces.length) {
          if (signal.aborted) return;
          yield log.pieces[next++];
        }
        if (log.done) {
          if (log.error) throw log.error;
          return;
        }
        if (!(await changeOf(log, signal))) return;
      }
    } finally {
      this.leave(key, log);
    }
  }

  private join(key: string, read: ReadBuildLogPiece): SharedLog {
    let log = this.logs.get(key);
    if (!log) {
      log = {
        pieces: [],
        bytes: 0,
        done: false,
        followers: 0,
        stop: new AbortController(),
        changed: new Set(),
      };
      this.logs.set(key, log);
      this.poll(log, read).catch(() => {});
    }
    log.followers += 1;
    return log;
  }

  private leave(key: string, log: SharedLog) {
    log.followers -= 1;
    if (log.followers > 0) return;
    // The last follower went away: stop asking Jenkins and let the text go.
    log.stop.abort();
    if (this.logs.get(key) === log) this.logs.delete(key);
  }

  private async poll(log: SharedLog, read: ReadBuildLogPiece) {
    const notify = () => {
      for (const wake of [...log.changed]) wake();
    };
    let start = 0;
    try {
      for (;;) {
        const piece = await read(start);
        start = piece.nextStart;
        if (piece.text || log.pieces.length === 0) {
          log.pieces.push(piece.text);
          log.bytes += Buffer.byteLength(piece.text);
        }
        if (!piece.more) break;
        if (log.bytes >= this.options.maxBytes) {
          throw new Error(
            `the build log passed ${formatBytes(
              this.options.maxBytes,
            )}, the most a follow reads (autonomous.logs.maxLogBytes); read the rest with build-log?start=${start}`,
          );
        }
        notify();
        await delay(this.options.pollIntervalMs, undefined, {
          signal: log.stop.signal,
        });
      }
    } catch (error) {
      if (!log.stop.signal.aborted) log.error = error;
    }
    log.done = true;
    notify();
  }
}

/** Waits until the shared log changes; false when the follower's signal aborted first. */
function changeOf(log: SharedLog, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise(resolve => {
    const listeners = {
      change: () => settle(true),
      abort: () => settle(false),
    };
    function settle(changed: boolean) {
      log.changed.delete(listeners.change);
      signal.removeEventListener('abort', listeners.abort);
      resolve(changed);
    }
    log.changed.add(listeners.change);
    signal.addEventListener('abort', listeners.abort);
  });
}
