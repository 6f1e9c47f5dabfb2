import {
  autonomousDatabaseConsoleAuditPermission,
  autonomousDatabaseConsoleReadPermission,
  autonomousDatabaseConsoleWritePermission,
  autonomousDatabaseCredentialsPermission,
  autonomousLogsReadPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';

/**
 * Who may be granted a permission (members of an admin group always are):
 * - `everyone`: any caller, even one without a user identity (plain reads);
 * - `signed-in`: any signed-in user;
 * - `owners`: users who own the catalog entity, directly or through a group;
 * - `task-creator`: the user who started the scaffolder task;
 * - `admins`: members of an admin group only.
 */
export type Audience =
  | 'everyone'
  | 'signed-in'
  | 'owners'
  | 'task-creator'
  | 'admins';

/*
 * Reads that reveal a secret or touch live data: build and pod logs (they print secrets),
 * the password and the console are for the people who own the project or database, even
 * though their action is "read".
 */
const OWNER_ONLY_READS: ReadonlySet<string> = new Set([
  autonomousLogsReadPermission.name,
  autonomousDatabaseCredentialsPermission.name,
  autonomousDatabaseConsoleReadPermission.name,
  autonomousDatabaseConsoleWritePermission.name,
]);

/*
 * Reads for administrators only: the console's audit trail holds every user's statements,
 * which may carry a literal secret someone typed.
 */
const ADMIN_ONLY_READS: ReadonlySet<string> = new Set([
  autonomousDatabaseConsoleAuditPermission.name,
]);

/*
 * The permissions of the portal's other plugins that are not plain reads, by the names
 * their packages define (@backstage/plugin-catalog-common, plugin-kubernetes-common,
 * plugin-scaffolder-common). Anything that is not a read and not listed here is for
 * admins only: a plugin added later gets nothing until this table says who may use it.
 */
const PORTAL_AUDIENCES: Readonly<Record<string, Audience>> = {
  // Forwards any request to the cluster with the cluster's service-account token:
  // secrets of every namespace, deleting pods.
  'kubernetes.proxy': 'admins',

  'catalog.entity.delete': 'owners',
  'catalog.entity.refresh': 'owners',
  // Registering is catalog.location.create; the catalog checks this permission nowhere on
  // the server, the frontend only uses it to show its Create button (the templates).
  'catalog.entity.create': 'signed-in',
  'catalog.entity.validate': 'signed-in',
  // A location can bring any entity, including Users and Groups (catalog.rules narrows
  // those to the org file and provider), and annotations that point at upstream objects.
  'catalog.location.create': 'admins',
  'catalog.location.delete': 'admins',
  // Fetches a URL with the portal's integration tokens; the first step of registering.
  'catalog.location.analyze': 'admins',
  'catalog.ingestion.manage': 'admins',

  // Templates come only from locations, which admins register: running them is what the
  // scaffolder is for.
  'scaffolder.task.create': 'signed-in',
  'scaffolder.action.execute': 'signed-in',
  'scaffolder.task.cancel': 'task-creator',
  // The template editor: runs arbitrary template text.
  'scaffolder.template.dry-run': 'admins',
  'scaffolder.template.management': 'admins',
};

/** Who may be granted the permission, before ownership is looked at. */
export function audienceOf(permission: Permission): Audience {
  if (OWNER_ONLY_READS.has(permission.name)) {
    return 'owners';
  }
  if (ADMIN_ONLY_READS.has(permission.name)) {
    return 'admins';
  }
  if (permission.attributes.action === 'read') {
    return 'everyone';
  }
  const listed = PORTAL_AUDIENCES[permission.name];
  if (listed) {
    return listed;
  }
  if (
    permission.name.startsWith('autonomous.') &&
    isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
  ) {
    // Deploy, rollback, settings, database changes: on the entities the user owns.
    return 'owners';
  }
  return 'admins';
}
