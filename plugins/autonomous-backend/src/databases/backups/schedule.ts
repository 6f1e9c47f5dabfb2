import { CronTime } from 'cron';

const MACROS = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;

/**
 * Why a schedule is not one a Kubernetes CronJob runs (five fields or a macro such as
 * @daily), or undefined when it is. Checked by the `cron` parser the scheduler uses.
 */
export function scheduleProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (!MACROS.test(trimmed)) {
    const fields = trimmed.split(/\s+/).filter(Boolean);
    if (fields.length !== 5) {
      return `must be a cron expression of five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"; got ${
        fields.length
      } field${fields.length === 1 ? '' : 's'}`;
    }
  }
  try {
    // eslint-disable-next-line no-new
    new CronTime(trimmed, 'UTC');
  } catch (error) {
    return `is not a valid cron expression: ${(error as Error).message}`;
  }
  return undefined;
}

/** The first run strictly after `from`. CronJobs here run in UTC. */
export function nextRunAfter(schedule: string, from: Date): Date {
  return new CronTime(schedule.trim(), 'UTC')
    .getNextDateFrom(from, 'UTC')
    .toJSDate();
}

/**
 * The latest run due in (`after`, `until`], or undefined when none fell due. Walks forward from
 * `after` (the schedule's application or its last run), at most `limit` steps.
 */
export function latestRunBetween(
  schedule: string,
  after: Date,
  until: Date,
  limit = 100_000,
): Date | undefined {
  const time = new CronTime(schedule.trim(), 'UTC');
  let latest: Date | undefined;
  let cursor = after;
  for (let i = 0; i < limit; i++) {
    const next = time.getNextDateFrom(cursor, 'UTC').toJSDate();
    if (next > until) return latest;
    latest = next;
    cursor = next;
  }
  return latest;
}
