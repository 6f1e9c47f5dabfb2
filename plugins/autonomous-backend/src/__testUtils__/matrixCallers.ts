import {
  autonomousNotifyPermission,
  autonomousPermissions,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockCredentials } from '@backstage/backend-test-utils';
import { TestPolicy } from './testBackend';

/** The entity the owner owns; the matrix acts on it. */
export const OWNED_ENTITY = 'component:default/storefront';
/** The database Resource the owner owns; the matrix's database routes act on it. */
export const OWNED_DATABASE = 'resource:default/storefront-db';
export const OWNER = 'user:default/owner';
/** A user the policy allows nothing. */
export const STRANGER = 'user:default/stranger';
/** A user allowed only to send upstream notifications. */
export const NOTIFIER = 'user:default/release-bot';
/** The service principal of the upstreams' notification token. */
export const NOTIFYING_SERVICE = 'service:upstream-notifier';

const NOTIFY = autonomousNotifyPermission.name;
const ENTITY_PERMISSIONS = autonomousPermissions
  .map(p => p.name)
  .filter(name => name !== NOTIFY);

/** A user allowed every entity permission except `permission`, on every entity. */
export const userWithout = (permission: string) =>
  `user:default/without-${permission}`;

/**
 * The owner may do everything to the owned entity and nothing elsewhere, decided per entity as
 * the catalog's ownership rule would (CONDITIONAL first, then a question with the entity);
 * `userWithout(p)` may do everything but `p`; the notifying service and the release bot may
 * only notify; anyone else is denied.
 */
export const matrixPolicy: TestPolicy = {
  dependsOnEntity: (who, permission) => who === OWNER && permission !== NOTIFY,
  allows(who, permission, resourceRef) {
    if (who === OWNER) {
      return (
        permission !== NOTIFY &&
        (resourceRef === OWNED_ENTITY || resourceRef === OWNED_DATABASE)
      );
    }
    if (who === NOTIFYING_SERVICE || who === NOTIFIER) {
      return permission === NOTIFY;
    }
    if (who.startsWith(userWithout(''))) {
      return (
        ENTITY_PERMISSIONS.includes(permission) &&
        who !== userWithout(permission)
      );
    }
    return false;
  },
};

/** The Authorization header of a caller named as the policy names them. */
export function authHeader(who: string): { Authorization: string } {
  if (who.startsWith('service:')) {
    return {
      Authorization: mockCredentials.service.header({
        onBehalfOf: mockCredentials.service(who.slice('service:'.length)),
        targetPluginId: 'autonomous',
      }),
    };
  }
  return { Authorization: mockCredentials.user.header(who) };
}
