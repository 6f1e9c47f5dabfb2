import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The catalog's resource type. The catalog exports this constant only from its `/alpha`
 * entry point, so the stable string is repeated here rather than depending on alpha API.
 * @public
 */
export const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/*
 * Every permission is scoped to a catalog entity, so a policy can decide with the catalog's
 * own rules (for example IS_ENTITY_OWNER): "everyone may read, owners may roll back".
 */

/** See a project's releases, status, databases and backups. @public */
export const autonomousReadPermission = createPermission({
  name: 'autonomous.project.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read build logs and pod logs. Logs carry secrets (tokens echoed by a build step, connection
 * strings printed at start-up), so a policy should grant this to the entity's owners only,
 * not to everyone who may read the project. @public
 */
export const autonomousLogsReadPermission = createPermission({
  name: 'autonomous.logs.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Start a release (deploy, redeploy) or cancel one. @public */
export const autonomousDeployPermission = createPermission({
  name: 'autonomous.release.deploy',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Ask ArgoCD to sync or hard-refresh; suspend and resume automated sync. @public */
export const autonomousSyncPermission = createPermission({
  name: 'autonomous.release.sync',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Roll back to an earlier healthy release. @public */
export const autonomousRollbackPermission = createPermission({
  name: 'autonomous.release.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Promote an environment's Argo Rollouts rollout past its current pause or step (or fully). @public */
export const autonomousRolloutPromotePermission = createPermission({
  name: 'autonomous.rollout.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Abort an environment's Argo Rollouts rollout: traffic back to the stable revision. @public */
export const autonomousRolloutAbortPermission = createPermission({
  name: 'autonomous.rollout.abort',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Change environments, domains, auto-deploy and webhooks (rotating a webhook's secret). @public */
export const autonomousSettingsPermission = createPermission({
  name: 'autonomous.project.settings',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Provision a database for the entity. @public */
export const autonomousDatabaseCreatePermission = createPermission({
  name: 'autonomous.database.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Reveal a database's password (read from Vault, audited). @public */
export const autonomousDatabaseCredentialsPermission = createPermission({
  name: 'autonomous.database.credentials.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Run read-only statements in the database console. @public */
export const autonomousDatabaseConsoleReadPermission = createPermission({
  name: 'autonomous.database.console.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Run statements that change data in the database console. @public */
export const autonomousDatabaseConsoleWritePermission = createPermission({
  name: 'autonomous.database.console.write',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the audit trail of a database's console: every user's statements on the instance.
 * Statements are what users typed and may hold a literal secret, so a policy should grant
 * this to administrators only, although it is a read. @public
 */
export const autonomousDatabaseConsoleAuditPermission = createPermission({
  name: 'autonomous.database.console.audit',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Take a backup, change backup settings, download or delete a backup. @public */
export const autonomousDatabaseBackupPermission = createPermission({
  name: 'autonomous.database.backup',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Restore a backup over the live database. @public */
export const autonomousDatabaseRestorePermission = createPermission({
  name: 'autonomous.database.restore',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Delete a database and its volumes. @public */
export const autonomousDatabaseDeletePermission = createPermission({
  name: 'autonomous.database.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Delete a project: its ArgoCD applications (a System's: every service's) are removed, its
 * release history is kept. @public
 */
export const autonomousProjectDeletePermission = createPermission({
  name: 'autonomous.project.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Tell the backend that an upstream finished something (Jenkins and ArgoCD notifications).
 * Not entity-scoped: a notification only makes the backend look again, it is never trusted
 * for state. Grant it to the static token the upstreams send, through its accessRestrictions.
 * @public
 */
export const autonomousNotifyPermission = createPermission({
  name: 'autonomous.notifications.send',
  attributes: { action: 'create' },
});

/**
 * Every permission a route of the suite checks, for registration with the permission
 * framework.
 * @public
 */
export const autonomousPermissions = [
  autonomousReadPermission,
  autonomousLogsReadPermission,
  autonomousDeployPermission,
  autonomousSyncPermission,
  autonomousRollbackPermission,
  autonomousRolloutPromotePermission,
  autonomousRolloutAbortPermission,
  autonomousSettingsPermission,
  autonomousProjectDeletePermission,
  autonomousNotifyPermission,
  autonomousDatabaseCreatePermission,
  autonomousDatabaseCredentialsPermission,
  autonomousDatabaseBackupPermission,
  autonomousDatabaseRestorePermission,
  autonomousDatabaseDeletePermission,
  autonomousDatabaseConsoleReadPermission,
  autonomousDatabaseConsoleWritePermission,
  autonomousDatabaseConsoleAuditPermission,
];
