import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Asks the permission framework whether the caller may do this to this entity. Conditional
 * decisions (e.g. "owners may roll back") are resolved against the catalog by the framework.
 */
export async function authorizeEntity(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission<'catalog-entity'>,
  entityRef: string,
): Promise<void> {
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef: entityRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `you are not allowed ${permission.name} on ${entityRef}: ask the entity's owners or a portal admin for access`,
    );
  }
}
