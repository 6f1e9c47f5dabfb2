import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  readOrchestratorSettings,
  readPermissionDecisionCacheMs,
} from './settings';
import { DEFAULT_ORCHESTRATOR_SETTINGS } from './types';

const config = (autonomous: object) => new ConfigReader({ autonomous });

describe('orchestrator settings', () => {
  it('reads human durations in every form Backstage accepts', () => {
    const logger = mockServices.logger.mock();
    const settings = readOrchestratorSettings(
      config({
        orchestrator: {
          pollInterval: { seconds: 2 },
          lease: 'PT3M',
          buildTimeout: { hours: 1, minutes: 30 },
          rolloutTimeout: '20m',
        },
      }),
      logger,
    );
    expect(settings).toMatchObject({
      pollIntervalMs: 2_000,
      leaseMs: 180_000,
      buildTimeoutMs: 90 * 60_000,
      rolloutTimeoutMs: 20 * 60_000,
      syncTimeoutMs: DEFAULT_ORCHESTRATOR_SETTINGS.syncTimeoutMs,
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('keeps the old number keys working and says what to write instead', () => {
    const logger = mockServices.logger.mock();
    const settings = readOrchestratorSettings(
      config({
        orchestrator: { pollIntervalSeconds: 0.3, buildTimeoutMinutes: 5 },
      }),
      logger,
    );
    expect(settings.pollIntervalMs).toBe(300);
    expect(settings.buildTimeoutMs).toBe(300_000);
    expect(logger.warn).toHaveBeenCalledWith(
      'autonomous.orchestrator.pollIntervalSeconds is deprecated: write pollInterval as a duration instead, e.g. pollInterval: { seconds: 0.3 }',
    );
  });

  it('refuses a zero duration and a month', () => {
    expect(() =>
      readOrchestratorSettings(
        config({ orchestrator: { lease: { seconds: 0 } } }),
      ),
    ).toThrow('autonomous.orchestrator.lease must be a positive duration');
    expect(() =>
      readOrchestratorSettings(
        config({ orchestrator: { buildTimeout: { months: 1 } } }),
      ),
    ).toThrow('months and years have no fixed length');
  });

  it('reads the permission decision cache time, old key too', () => {
    expect(readPermissionDecisionCacheMs(config({}))).toBe(5_000);
    expect(
      readPermissionDecisionCacheMs(
        config({ permissionDecisionCache: { seconds: 30 } }),
      ),
    ).toBe(30_000);
    expect(
      readPermissionDecisionCacheMs(config({ permissionDecisionCacheMs: 0 })),
    ).toBe(0);
  });
});
