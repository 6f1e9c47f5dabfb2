import { Entity } from '@backstage/catalog-model';

/**
 * Whether the entity is a database the portal can run: a `Resource` of `spec.type:
 * database`. Use it to show the Database tab only there.
 *
 * @public
 */
export function isDatabaseResource(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === 'database'
  );
}
