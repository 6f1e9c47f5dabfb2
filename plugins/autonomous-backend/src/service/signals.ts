import {
  Release,
  RELEASE_SIGNAL_CHANNEL,
  ReleaseSignal,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';

/**
 * Announces a release change to open pages. Only ids and the status travel: pages refetch
 * through the permission-checked API, so nobody learns more than they may read.
 */
export function publishReleaseSignal(
  signals: SignalsService,
  logger: LoggerService,
): (release: Release) => void {
  return release => {
    const message: ReleaseSignal = {
      entityRef: release.entityRef,
      releaseId: release.id,
      environment: release.environment,
      status: release.status,
    };
    signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: RELEASE_SIGNAL_CHANNEL,
        message: { ...message },
      })
      .catch(e => logger.warn(`Could not publish a release signal: ${e}`));
  };
}
