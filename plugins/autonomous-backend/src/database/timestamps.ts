/**
 * PostgreSQL returns timestamps as Date, better-sqlite3 as the epoch milliseconds knex wrote.
 * Rows are normalised to ISO strings at the store boundary.
 */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') {
    const asNumber = Number(value);
    return new Date(
      Number.isFinite(asNumber) && /^\d+$/.test(value) ? asNumber : value,
    ).toISOString();
  }
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

export function toIsoOrUndefined(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : toIso(value);
}

export function orUndefined<T>(value: T | null | undefined): T | undefined {
  return value === null || value === undefined ? undefined : value;
}
