import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { AutonomousBackendClient } from '../portal/AutonomousBackend';
import { registerAutonomousReadActions } from './readActions';

/**
 * Registers the Autonomous plugin's read-only actions (`autonomous:list-releases`,
 * `autonomous:get-project-status`) with the actions registry, which the MCP actions backend
 * serves to MCP clients when `actions.pluginSources` lists `autonomous`.
 *
 * @public
 */
export const autonomousModuleReadActions = createBackendModule({
  pluginId: 'autonomous',
  moduleId: 'read-actions',
  register({ registerInit }) {
    registerInit({
      deps: {
        actionsRegistry: actionsRegistryServiceRef,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ actionsRegistry, discovery, auth }) {
        registerAutonomousReadActions(
          actionsRegistry,
          new AutonomousBackendClient({ discovery, auth }),
        );
      },
    });
  },
});
