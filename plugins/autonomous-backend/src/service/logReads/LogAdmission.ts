import { LogLimits, TooManyRequestsError } from './logLimits';

interface OpenFollow {
  caller: string;
  endsAt: number;
}

/**
 * Who may start a log read now. Each caller has a budget of log requests per window, and a
 * follow holds a slot (per caller and in total) until it ends, at the latest after the
 * maximum follow duration. In process: each replica counts its own callers.
 */
export class LogAdmission {
  private readonly follows = new Set<OpenFollow>();
  private readonly windows = new Map<
    string,
    { startedAt: number; count: number }
  >();

  constructor(
    private readonly limits: LogLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one log request of the caller; a 429 once its budget for the window is spent. */
  admitRead(caller: string): void {
    const now = this.now();
    this.forgetEndedWindows(now);
    let window = this.windows.get(caller);
    if (!window) {
      window = { startedAt: now, count: 0 };
      this.windows.set(caller, window);
    }
    if (window.count >= this.limits.requestsPerWindow) {
      const retry = seconds(window.startedAt + this.limits.windowMs - now);
      throw new TooManyRequestsError(
        `too many log requests: ${caller} may make ${
          this.limits.requestsPerWindow
        } in ${describeMs(
          this.limits.windowMs,
        )} (autonomous.logs.rateLimit); retry in ${retry} s`,
        retry,
      );
    }
    window.count += 1;
  }

  /**
   * Takes a follow slot for the caller; call the returned function when the follow ends.
   * A 429 when the caller, or everyone together, already holds the most follows allowed.
   */
  admitFollow(caller: string): () => void {
    const now = this.now();
    const own = [...this.follows].filter(f => f.caller === caller);
    if (own.length >= this.limits.maxFollowsPerCaller) {
      const retry = seconds(Math.min(...own.map(f => f.endsAt)) - now);
      throw new TooManyRequestsError(
        `too many log follows: ${caller} already follows ${own.length} logs, the most one caller may follow at once (autonomous.logs.maxFollowsPerCaller); close one, or retry in ${retry} s when the oldest reaches its maximum duration`,
        retry,
      );
    }
    if (this.follows.size >= this.limits.maxFollows) {
      const retry = seconds(
        Math.min(...[...this.follows].map(f => f.endsAt)) - now,
      );
      throw new TooManyRequestsError(
        `too many log follows: the portal already serves ${this.follows.size} follows, the most it serves at once (autonomous.logs.maxFollows); retry in ${retry} s`,
        retry,
      );
    }
    const follow = { caller, endsAt: now + this.limits.maxFollowDurationMs };
    this.follows.add(follow);
    return () => {
      this.follows.delete(follow);
    };
  }

  /** How many follows are open now, by everyone. */
  get openFollows(): number {
    return this.follows.size;
  }

  private forgetEndedWindows(now: number) {
    for (const [caller, window] of this.windows) {
      if (window.startedAt + this.limits.windowMs <= now) {
        this.windows.delete(caller);
      }
    }
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function describeMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}
