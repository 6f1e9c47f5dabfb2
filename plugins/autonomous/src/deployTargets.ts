import { Entity } from '@backstage/catalog-model';
import {
  AUTONOMOUS_ANNOTATIONS,
  DEFAULT_BRANCH,
  DEFAULT_ENVIRONMENT,
  Environment,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** Where a project releases to and which branch feeds it. */
export type DeployTarget = Pick<Environment, 'name' | 'branch' | 'autoDeploy'>;

/**
 * The project's environments as the backend resolved them, or, while that is unknown, as the
 * entity's annotations declare them, so a page can still say how releases start.
 */
export function deployTargets(
  entity: Entity,
  project?: Project,
): DeployTarget[] {
  if (project?.environments.length) {
    // The project's switch gates every environment's own.
    return project.environments.map(({ name, branch, autoDeploy }) => ({
      name,
      branch,
      autoDeploy: project.autoDeploy && autoDeploy,
    }));
  }
  const annotations = entity.metadata.annotations ?? {};
  const names = (annotations[AUTONOMOUS_ANNOTATIONS.environments] ?? '')
    .split(',')
    .map(name => name.trim())
    .filter(Boolean);
  const branch =
    annotations[AUTONOMOUS_ANNOTATIONS.branch]?.trim() || DEFAULT_BRANCH;
  const autoDeploy = annotations[AUTONOMOUS_ANNOTATIONS.autoDeploy] === 'true';
  return (names.length ? names : [DEFAULT_ENVIRONMENT]).map(name => ({
    name,
    branch,
    autoDeploy,
  }));
}
