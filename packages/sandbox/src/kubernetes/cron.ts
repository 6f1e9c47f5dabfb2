/**
 * The standard five-field cron schedule a CronJob's `spec.schedule` holds (minute, hour, day of
 * month, month, day of week), read in UTC as the sandbox runs no time zones, with the macros
 * Kubernetes accepts (`@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly`,
 * `@annually`).
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Day of month and day of week both restricted: a day matches when either does (cron's rule). */
  eitherDay: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(
  ' ',
);
const DAY_NAMES = 'sun mon tue wed thu fri sat'.split(' ');

function parseValue(text: string, min: number, names?: string[]): number {
  const index = names?.indexOf(text.toLowerCase()) ?? -1;
  if (index >= 0) return index + min;
  if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a number`);
  return Number(text);
}

function parseField(
  field: string,
  what: string,
  min: number,
  max: number,
  names?: string[],
): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new Error(`${what}: step "${stepText}" must be a positive number`);
    }
    let from: number;
    let to: number;
    if (range === '*' || range === '?') {
      from = min;
      to = max;
      if (stepText === undefined) star = true;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = parseValue(a, min, names);
      to = parseValue(b, min, names);
    } else {
      from = parseValue(range, min, names);
      to = stepText === undefined ? from : max;
    }
    if (from < min || to > max || from > to) {
      throw new Error(`${what}: "${part}" is outside ${min}-${max}`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, star };
}

/** Parses a schedule; throws an Error saying which field is wrong. */
export function parseCron(schedule: string): CronSchedule {
  const text = schedule.trim();
  if (/^(TZ|CRON_TZ)=/.test(text)) {
    throw new Error(
      'TZ and CRON_TZ are not supported in spec.schedule; use spec.timeZone',
    );
  }
  const expanded = MACROS[text.toLowerCase()] ?? text;
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(
      `expected exactly 5 fields, found ${fields.length}: ${schedule}`,
    );
  }
  const minute = parseField(fields[0], 'minute', 0, 59);
  const hour = parseField(fields[1], 'hour', 0, 23);
  const dom = parseField(fields[2], 'day of month', 1, 31);
  const month = parseField(fields[3], 'month', 1, 12, MONTH_NAMES);
  const dow = parseField(fields[4], 'day of week', 0, 7, DAY_NAMES);
  // Sunday may be written 7.
  if (dow.values.delete(7)) dow.values.add(0);
  return {
    minutes: minute.values,
    hours: hour.values,
    daysOfMonth: dom.values,
    months: month.values,
    daysOfWeek: dow.values,
    eitherDay: !dom.star && !dow.star,
  };
}

function dayMatches(cron: CronSchedule, date: Date): boolean {
  const dom = cron.daysOfMonth.has(date.getUTCDate());
  const dow = cron.daysOfWeek.has(date.getUTCDay());
  return cron.eitherDay ? dom || dow : dom && dow;
}

/** The first scheduled time strictly after `afterMs` (UTC, whole minutes), within four years. */
export function nextRun(
  cron: CronSchedule,
  afterMs: number,
): number | undefined {
  const t = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  const limit = afterMs + 4 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!cron.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(cron, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t.getTime();
  }
  return undefined;
}

/** The latest scheduled time in `(afterMs, untilMs]`, if any. */
export function latestRunBetween(
  cron: CronSchedule,
  afterMs: number,
  untilMs: number,
): number | undefined {
  let latest: number | undefined;
  let t = nextRun(cron, afterMs);
  // A controller that was away long catches up with the latest missed run only, as Kubernetes does.
  for (let i = 0; t !== undefined && t <= untilMs && i < 100_000; i++) {
    latest = t;
    t = nextRun(cron, t);
  }
  return latest;
}
