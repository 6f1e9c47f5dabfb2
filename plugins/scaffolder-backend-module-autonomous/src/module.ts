import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { createArgoCdCreateAppAction } from './actions/argocdCreateApp';
import { createHarborCreateProjectAction } from './actions/harborCreateProject';
import { createJenkinsCreateJobAction } from './actions/jenkinsCreateJob';
import { createVaultWriteSecretAction } from './actions/vaultWriteSecret';
import { CatalogOwnershipCheck } from './ownership';

/**
 * Registers the Autonomous scaffolder actions: Jenkins jobs, Harbor projects, Vault secrets
 * and ArgoCD applications, on the upstream instances configured under
 * `autonomous.<system>.instances`.
 *
 * @public
 */
export const scaffolderModuleAutonomous = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'autonomous',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
      },
      async init({
        scaffolderActions,
        config,
        logger,
        discovery,
        auth,
        userInfo,
      }) {
        // Actions act on what they read (claims, existing objects): no read cache.
        const clients = UpstreamClients.fromConfig(config, {
          logger,
          readCache: false,
        });
        // An entity ref is task input: only the entity's owner may change what claims it.
        const ownership = new CatalogOwnershipCheck({
          discovery,
          auth,
          userInfo,
        });
        scaffolderActions.addActions(
          createJenkinsCreateJobAction({
            clients,
            instances: name => clients.instancesOf('jenkins').get(name),
            ownership,
          }),
          createHarborCreateProjectAction({ clients }),
          createArgoCdCreateAppAction({ clients, ownership }),
          createVaultWriteSecretAction({ clients }),
        );
      },
    });
  },
});
