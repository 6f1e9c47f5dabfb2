import { describeCron } from './cronWords';

describe('a backup schedule in plain words', () => {
  it.each([
    ['0 2 * * *', 'Every day at 02:00 UTC'],
    ['30 3 * * 0', 'Every Sunday at 03:30 UTC'],
    ['15 1 * * 1-5', 'Every weekday (Monday to Friday) at 01:15 UTC'],
    ['0 4 1 * *', 'On day 1 of every month at 04:00 UTC'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['5 * * * *', 'Every hour at minute 5'],
    ['0 */6 * * *', 'Every 6 hours at minute 0'],
  ])('%s reads "%s"', (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });

  it('says nothing about shapes it does not know or text that is no schedule', () => {
    expect(describeCron('0 2 * 1 *')).toBeUndefined();
    expect(describeCron('0 25 * * *')).toBeUndefined();
    expect(describeCron('every night')).toBeUndefined();
  });
});
