/*
 * The Autonomous portal's backend: the stock Backstage plugins, the Autonomous suite, the
 * portal's permission policy, and Keycloak for production sign-in and org data. Modules whose
 * config is absent (OIDC, Keycloak) stay idle, so development needs none of it.
 */

import { createBackend } from '@backstage/backend-defaults';
import { autonomousModuleReadActions } from '@autonomous-dev/backstage-plugin-scaffolder-backend-module-autonomous';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
// Refuses to start with production config on development defaults (localhost URLs,
// NODE_ENV other than production): see src/modules/productionSettings
backend.add(import('./modules/productionSettings'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
// publish:gitlab and publish:gitlab:merge-request, for the templates' GitLab repositories
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitlab'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider
// OIDC sign-in (Keycloak in production); only active when auth.providers.oidc is configured
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
// A second development identity, a member of platform-team, for the browser tests of what
// only admins may do; idle unless auth.providers.platform-guest is configured (only
// app-config.e2e.yaml does) and refused outside development: see src/modules/platformGuest
backend.add(import('./modules/platformGuest'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Users and groups from Keycloak; ingests nothing unless catalog.providers.keycloakOrg is configured
backend.add(
  import('@backstage-community/plugin-catalog-backend-module-keycloak'),
);

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// Deny by default: everyone reads, owners act, admins do everything (src/modules/permissionPolicy)
backend.add(import('./modules/permissionPolicy'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));
// Autonomous projects, releases and databases (search.collators.autonomous)
backend.add(
  import('@autonomous-dev/backstage-plugin-search-backend-module-autonomous'),
);

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// the Autonomous suite
backend.add(import('@autonomous-dev/backstage-plugin-autonomous-backend'));
// the suite's scaffolder actions (autonomous:jenkins:create-job, …)
backend.add(
  import(
    '@autonomous-dev/backstage-plugin-scaffolder-backend-module-autonomous'
  ),
);
// read-only Autonomous actions for MCP clients (autonomous:list-releases,
// autonomous:get-project-status; actions.pluginSources lists autonomous)
backend.add(autonomousModuleReadActions);

backend.start();
