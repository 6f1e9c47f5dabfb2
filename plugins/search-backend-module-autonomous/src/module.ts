import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { AutonomousIndexClient } from './AutonomousIndexClient';
import { createAutonomousCollatorFactories } from './collators/AutonomousCollatorFactory';
import { readCollatorSettings } from './config';

/**
 * Autonomous projects, releases and databases in portal search, read from the Autonomous
 * backend's index routes on the schedule of `search.collators.autonomous.schedule`.
 *
 * @public
 */
export const searchModuleAutonomousCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'autonomous-collator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({ config, auth, discovery, scheduler, indexRegistry }) {
        const settings = readCollatorSettings(config);
        const client = new AutonomousIndexClient({ auth, discovery });
        for (const factory of createAutonomousCollatorFactories(
          client,
          settings,
        )) {
          indexRegistry.addCollator({
            // One runner per collator: each gets its own task and lock.
            schedule: scheduler.createScheduledTaskRunner(settings.schedule),
            factory,
          });
        }
      },
    });
  },
});
