import { latestRunBetween, nextRunAfter, scheduleProblem } from './schedule';

describe('backup schedules', () => {
  it('accepts what a CronJob runs and says what is wrong with the rest', () => {
    expect(scheduleProblem('0 3 * * *')).toBeUndefined();
    expect(scheduleProblem('*/15 * * * 1-5')).toBeUndefined();
    expect(scheduleProblem('@daily')).toBeUndefined();
    expect(scheduleProblem('0 0 3 * * *')).toMatch(/five fields.*got 6 fields/);
    expect(scheduleProblem('daily')).toMatch(/five fields.*got 1 field$/);
    expect(scheduleProblem('61 3 * * *')).toMatch(
      /not a valid cron expression: Field value \(61\) is out of range/,
    );
  });

  it('finds the next run and the latest one due', () => {
    expect(
      nextRunAfter('0 3 * * *', new Date('2026-12-06T03:00:00Z')).toISOString(),
    ).toBe('2026-12-07T03:00:00.000Z');
    expect(
      latestRunBetween(
        '0 */6 * * *',
        new Date('2026-12-06T01:00:00Z'),
        new Date('2026-12-06T13:00:00Z'),
      )?.toISOString(),
    ).toBe('2026-12-06T12:00:00.000Z');
    expect(
      latestRunBetween(
        '0 3 * * *',
        new Date('2026-12-06T03:00:00Z'),
        new Date('2026-12-06T20:00:00Z'),
      ),
    ).toBeUndefined();
  });
});
