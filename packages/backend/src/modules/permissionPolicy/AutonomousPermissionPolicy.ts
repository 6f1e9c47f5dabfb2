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
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import { audienceOf } from './audiences';

/** The group whose members may do anything when the config names none. */
export const DEFAULT_ADMIN_GROUPS = ['group:default/platform-team'];

/** The scaffolder's task resource type (@backstage/plugin-scaffolder-common/alpha). */
const RESOURCE_TYPE_SCAFFOLDER_TASK = 'scaffolder-task';

function normalizeGroupRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  );
}

const DENY: PolicyDecision = { result: AuthorizeResult.DENY };
const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };

/**
 * The portal's permission policy: deny by default.
 *
 * - Members of an admin group may do everything.
 * - Everyone may read (the catalog, projects, releases, Kubernetes objects), except logs,
 *   database credentials and the console, which only owners may read, and the console's
 *   audit trail, which only admins may.
 * - Owners act on their own entities: the Autonomous suite's actions (deploy, rollback,
 *   settings, databases) and the catalog's delete and refresh. The decision is conditional
 *   and the catalog evaluates ownership.
 * - Signed-in users may run the templates admins registered; only the creator cancels a task.
 * - Everything else that is not a read is for admins only: the Kubernetes proxy, catalog
 *   locations, the template editor, and any permission this policy does not know
 *   (see audiences.ts).
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
    const audience = audienceOf(permission);
    if (audience === 'everyone') {
      return ALLOW;
    }

    // The permission backend resolves the user's ownership refs (user + groups) once per
    // batch and hands them over here, so the policy needs no call of its own.
    const ownershipEntityRefs = user?.info.ownershipEntityRefs ?? [];
    if (ownershipEntityRefs.some(ref => this.adminGroups.has(ref))) {
      return ALLOW;
    }
    if (!user) {
      return DENY;
    }

    switch (audience) {
      case 'signed-in':
        return ALLOW;
      case 'owners':
        if (
          ownershipEntityRefs.length > 0 &&
          isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
        ) {
          return createCatalogConditionalDecision(
            permission,
            catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
          );
        }
        return DENY;
      case 'task-creator':
        if (isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)) {
          return createScaffolderTaskConditionalDecision(
            permission,
            scaffolderTaskConditions.isTaskOwner({
              createdBy: [user.info.userEntityRef],
            }),
          );
        }
        return DENY;
      default:
        return DENY;
    }
  }
}
