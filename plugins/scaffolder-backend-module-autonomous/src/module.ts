import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createArgoCdCreateAppAction } from './actions/argocdCreateApp';
import { createHarborCreateProjectAction } from './actions/harborCreateProject';
import { createJenkinsCreateJobAction } from './actions/jenkinsCreateJob';
import { createVaultWriteSecretAction } from './actions/vaultWriteSecret';
import { createDatabaseProvisionAction } from './actions/databaseProvision';
import { createProjectRegisterAction } from './actions/projectRegister';
import { createReleaseCreateAction } from './actions/releaseCreate';
import { createWebhookCreateAction } from './actions/webhookCreate';
import { CatalogOwnershipCheck } from './ownership';
import { AutonomousBackendClient } from './portal/AutonomousBackend';

/**
 * Registers the Autonomous scaffolder actions: Jenkins jobs, Harbor projects, Vault secrets
 * and ArgoCD applications, on the upstream instances configured under
 * `autonomous.<system>.instances`; push webhooks through the portal's SCM integrations; and
 * the project, its releases and databases through the Autonomous backend, as the user who
 * runs the template.
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
        catalog: catalogServiceRef,
      },
      async init({
        scaffolderActions,
        config,
        logger,
        discovery,
        auth,
        userInfo,
        catalog,
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
        const integrations = ScmIntegrations.fromConfig(config);
        // Acts in the portal as the user who runs the task: the permission policy applies.
        const portal = new AutonomousBackendClient({ discovery, auth });
        scaffolderActions.addActions(
          createJenkinsCreateJobAction({
            clients,
            instances: name => clients.instancesOf('jenkins').get(name),
            ownership,
          }),
          createHarborCreateProjectAction({ clients }),
          createArgoCdCreateAppAction({ clients, ownership }),
          createVaultWriteSecretAction({ clients }),
          createWebhookCreateAction({
            integrations,
            discovery,
            clients,
          }),
          createProjectRegisterAction({
            catalog,
            auth,
            userInfo,
            integrations,
            portal,
          }),
          createReleaseCreateAction({ portal }),
          createDatabaseProvisionAction({ portal }),
        );
      },
    });
  },
});
