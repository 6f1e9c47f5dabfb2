const DAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

const isNumber = (field: string) => /^\d+$/.test(field);
const pad = (n: string) => n.padStart(2, '0');

/**
 * A five-field cron expression in plain words, for the common shapes ("Every day at 02:30
 * UTC"); undefined for shapes it does not know, and for text that is not five fields. Kubernetes
 * runs CronJobs in the cluster's time zone, UTC unless set otherwise.
 */
export function describeCron(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return undefined;
  }
  const [minute, hour, day, month, weekday] = fields;
  const every = (n: string) => /^\*\/(\d+)$/.exec(n)?.[1];
  if (month !== '*') {
    return undefined;
  }
  if (every(minute) && hour === '*' && day === '*' && weekday === '*') {
    return `Every ${every(minute)} minutes`;
  }
  if (isNumber(minute) && hour === '*' && day === '*' && weekday === '*') {
    return `Every hour at minute ${Number(minute)}`;
  }
  if (isNumber(minute) && every(hour) && day === '*' && weekday === '*') {
    return `Every ${every(hour)} hours at minute ${Number(minute)}`;
  }
  if (!isNumber(minute) || !isNumber(hour)) {
    return undefined;
  }
  if (Number(minute) > 59 || Number(hour) > 23) {
    return undefined;
  }
  const at = `at ${pad(hour)}:${pad(minute)} UTC`;
  if (day === '*' && weekday === '*') {
    return `Every day ${at}`;
  }
  if (day === '*' && /^[0-7]$/.test(weekday)) {
    return `Every ${DAYS[Number(weekday) % 7]} ${at}`;
  }
  if (day === '*' && weekday === '1-5') {
    return `Every weekday (Monday to Friday) ${at}`;
  }
  if (
    isNumber(day) &&
    weekday === '*' &&
    Number(day) >= 1 &&
    Number(day) <= 31
  ) {
    return `On day ${Number(day)} of every month ${at}`;
  }
  return undefined;
}
