import { LoggerService } from '@backstage/backend-plugin-api';

/** What a lease-driven worker gives the loop that runs its turns. */
export interface TurnLoopOptions {
  /** What the log calls the worker ("Release orchestrator"). */
  name: string;
  logger: LoggerService;
  /** One turn: claim what is due and move it; returns how many rows it moved. */
  turn(loop: TurnLoop): Promise<number>;
  /** When the next row falls due (or a held lease runs out); undefined when nothing waits. */
  nextDue(): Promise<Date | undefined>;
  /** The longest wait between turns while something is in flight. */
  pollIntervalMs: number;
  now: () => Date;
}

/**
 * Runs a lease-driven worker's turns (releases, database instances): one turn at a time, a
 * turn asked for while one runs comes right after it, and after each turn the next is timed for
 * when the next row falls due, but at least every poll interval. Leases make a turn on every
 * replica safe, so no replica waits for the scheduler's global lock, which a killed backend
 * holds until the task's timeout.
 */
export class TurnLoop {
  private running?: Promise<number>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private timerDue = Infinity;
  private halted = false;

  constructor(private readonly options: TurnLoopOptions) {}

  get stopped(): boolean {
    return this.halted;
  }

  /** Runs a turn now, or right after the one running. */
  tick(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.turnAndFollowUp().finally(() => {
      this.running = undefined;
      if (this.again && !this.halted) {
        this.again = false;
        this.soon(0);
      }
    });
    return this.running;
  }

  /** A turn in `ms` at the latest (an earlier timer stays). */
  soon(ms: number): void {
    if (this.halted) return;
    const due = Date.now() + ms;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.tick().catch(e =>
        this.options.logger.error(`${this.options.name} turn failed: ${e}`),
      );
    }, ms);
    this.timer.unref?.();
  }

  stop(): void {
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async turnAndFollowUp(): Promise<number> {
    const moved = await this.options.turn(this);
    const due = await this.options.nextDue();
    if (due) {
      const inMs = due.getTime() - this.options.now().getTime();
      this.soon(Math.max(50, Math.min(inMs, this.options.pollIntervalMs)));
    }
    return moved;
  }
}
