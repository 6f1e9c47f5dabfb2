import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { AutonomousPermissionPolicy } from './AutonomousPermissionPolicy';

/**
 * Installs the portal's permission policy (see AutonomousPermissionPolicy) in place of
 * the allow-all policy.
 */
export const permissionModuleAutonomousPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'autonomous-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(AutonomousPermissionPolicy.fromConfig(config));
      },
    });
  },
});
