import { latestRunBetween, nextRun, parseCron } from './cron.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString();

describe('cron schedules', () => {
  it('finds the next run of the usual schedules, in UTC', () => {
    const from = at('2026-12-06T01:47:30Z');
    expect(iso(nextRun(parseCron('*/15 * * * *'), from))).toBe(
      '2026-12-06T02:00:00.000Z',
    );
    expect(iso(nextRun(parseCron('0 3 * * *'), from))).toBe(
      '2026-12-06T03:00:00.000Z',
    );
    expect(iso(nextRun(parseCron('@daily'), from))).toBe(
      '2026-12-07T00:00:00.000Z',
    );
    expect(iso(nextRun(parseCron('30 2 * * mon-fri'), from))).toBe(
      '2026-12-07T02:30:00.000Z',
    );
    expect(iso(nextRun(parseCron('0 0 1 jan *'), from))).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(iso(nextRun(parseCron('0 12 * * 7'), from))).toBe(
      '2026-12-06T12:00:00.000Z',
    );
    expect(iso(nextRun(parseCron('0 0 29 2 *'), from))).toBe(
      '2028-02-29T00:00:00.000Z',
    );
  });

  it('matches either day field when both are restricted, as cron does', () => {
    // The 13th, or any Friday.
    const cron = parseCron('0 0 13 * 5');
    expect(iso(nextRun(cron, at('2026-12-06T00:00:00Z')))).toBe(
      '2026-12-11T00:00:00.000Z',
    );
    expect(iso(nextRun(cron, at('2026-12-11T00:00:00Z')))).toBe(
      '2026-12-13T00:00:00.000Z',
    );
  });

  it('gives the latest run of a window only', () => {
    expect(
      iso(
        latestRunBetween(
          parseCron('*/10 * * * *'),
          at('2026-12-06T01:00:00Z'),
          at('2026-12-06T01:45:00Z'),
        ),
      ),
    ).toBe('2026-12-06T01:40:00.000Z');
    expect(
      latestRunBetween(
        parseCron('0 3 * * *'),
        at('2026-12-06T01:00:00Z'),
        at('2026-12-06T02:59:00Z'),
      ),
    ).toBeUndefined();
  });

  it('says which field is wrong', () => {
    expect(() => parseCron('0 3 * *')).toThrow(/5 fields/);
    expect(() => parseCron('60 * * * *')).toThrow(/minute/);
    expect(() => parseCron('0 25 * * *')).toThrow(/hour/);
    expect(() => parseCron('0 0 * foo *')).toThrow(/"foo"/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step/);
    expect(() => parseCron('TZ=UTC 0 3 * * *')).toThrow(/spec.timeZone/);
  });
});
