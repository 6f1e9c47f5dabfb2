import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { checkProductionSettings } from './checkProductionSettings';

/**
 * Refuses to start a production backend that would run on development defaults
 * (see checkProductionSettings). It hangs off the app plugin, which every portal runs.
 */
export const appModuleProductionSettings = createBackendModule({
  pluginId: 'app',
  moduleId: 'production-settings',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig },
      async init({ config }) {
        const problems = checkProductionSettings(config, process.env.NODE_ENV);
        if (problems.length > 0) {
          throw new Error(
            `the production config is incomplete:\n- ${problems.join('\n- ')}`,
          );
        }
      },
    });
  },
});
