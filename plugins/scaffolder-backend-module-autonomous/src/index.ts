/**
 * Scaffolder actions of the Autonomous suite: Jenkins pipeline jobs, Harbor projects with a
 * robot account whose secret goes to Vault, Vault KV v2 secrets and ArgoCD applications.
 *
 * @packageDocumentation
 */

export { scaffolderModuleAutonomous as default } from './module';
export { scaffolderModuleAutonomous } from './module';
export { autonomousModuleReadActions } from './mcp/module';
export * from './actions';
export { CatalogOwnershipCheck, type EntityOwnershipCheck } from './ownership';
export {
  AutonomousBackendClient,
  type AutonomousBackendApi,
  type ProvisionDatabaseRequest,
} from './portal/AutonomousBackend';
