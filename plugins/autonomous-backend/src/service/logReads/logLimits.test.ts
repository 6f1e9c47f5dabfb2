import { ConfigReader } from '@backstage/config';
import { DEFAULT_LOG_LIMITS, readLogLimits } from './logLimits';

const read = (logs: unknown) =>
  readLogLimits(new ConfigReader({ autonomous: { logs } } as any));

describe('readLogLimits', () => {
  it('has defaults for everything', () => {
    expect(readLogLimits(new ConfigReader({}))).toEqual(DEFAULT_LOG_LIMITS);
    expect(DEFAULT_LOG_LIMITS).toMatchObject({
      maxFollowsPerCaller: 5,
      maxFollows: 100,
      maxFollowDurationMs: 30 * 60_000,
      maxLogBytes: 20 * 1024 * 1024,
    });
  });

  it('reads counts, and durations in every form readDurationFromConfig takes', () => {
    expect(
      read({
        maxFollowsPerCaller: 2,
        maxFollows: 40,
        maxFollowDuration: { minutes: 10 },
        maxLogBytes: 1_048_576,
        pollInterval: '2s',
        rateLimit: { requests: 30, window: 'PT30S' },
      }),
    ).toEqual({
      maxFollowsPerCaller: 2,
      maxFollows: 40,
      maxFollowDurationMs: 600_000,
      maxLogBytes: 1_048_576,
      pollIntervalMs: 2_000,
      requestsPerWindow: 30,
      windowMs: 30_000,
    });
  });

  it('refuses a limit that would let nothing through', () => {
    expect(() => read({ maxFollowsPerCaller: 0 })).toThrow(
      'autonomous.logs.maxFollowsPerCaller must be a whole number of at least 1, got 0',
    );
    expect(() => read({ maxFollowDuration: { seconds: 0 } })).toThrow(
      'autonomous.logs.maxFollowDuration must be a positive duration',
    );
  });
});
