import { Entity } from '@backstage/catalog-model';
import { AUTONOMOUS_ANNOTATIONS } from '@autonomous-dev/backstage-plugin-autonomous-common';

/**
 * Whether Autonomous deploys this entity: it carries the `autonomous.dev/project` annotation.
 * Use it to show the Releases tab only where it has something to say.
 *
 * @public
 */
export function isAutonomousAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[AUTONOMOUS_ANNOTATIONS.project]);
}
