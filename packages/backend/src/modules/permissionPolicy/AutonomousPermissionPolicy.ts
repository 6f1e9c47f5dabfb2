import {
  autonomousDatabaseConsoleReadPermission,
  autonomousDatabaseConsoleWritePermission,
  autonomousDatabaseCredentialsPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/** The group whose members may do anything when the config names none. */
export const DEFAULT_ADMIN_GROUPS = ['group:default/platform-team'];

const AUTONOMOUS_PREFIX = 'autonomous.';

/*
 * Reads that reveal a secret or touch live data: the password and the console are for the
 * people who own the database, even though their action is "read".
 */
const OWNER_ONLY_READS = new Set([
  autonomousDatabaseCredentialsPermission.name,
  autonomousDatabaseConsoleReadPermission.name,
  autonomousDatabaseConsoleWritePermission.name,
]);

function normalizeGroupRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  );
}

/**
 * The portal's permission policy.
 *
 * - Permissions outside the Autonomous suite are allowed, as the portal did before.
 * - Members of an admin group may do everything.
 * - Everyone may read a project's releases, status, databases and backups.
 * - Every other Autonomous action (deploy, rollback, settings, database changes, revealing
 *   credentials, the console) is allowed on the entities the user owns, directly or through
 *   a group: the decision is conditional and the catalog evaluates ownership.
 */
export class AutonomousPermissionPolicy implements PermissionPolicy {
  private readonly adminGroups: ReadonlySet<string>;

  static fromConfig(config: Config): AutonomousPermissionPolicy {
    const adminGroups =
      config.getOptionalStringArray('autonomous.permissions.adminGroups') ??
      DEFAULT_ADMIN_GROUPS;
    return new AutonomousPermissionPolicy({ adminGroups });
  }

  constructor(options: { adminGroups: string[] }) {
    this.adminGroups = new Set(options.adminGroups.map(normalizeGroupRef));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith(AUTONOMOUS_PREFIX)) {
      return { result: AuthorizeResult.ALLOW };
    }

    // The permission backend resolves the user's ownership refs (user + groups) once per
    // batch and hands them over here, so the policy needs no call of its own.
    const ownershipEntityRefs = user?.info.ownershipEntityRefs ?? [];
    if (ownershipEntityRefs.some(ref => this.adminGroups.has(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }

    if (
      permission.attributes.action === 'read' &&
      !OWNER_ONLY_READS.has(permission.name)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }

    if (
      ownershipEntityRefs.length > 0 &&
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }

    return { result: AuthorizeResult.DENY };
  }
}
