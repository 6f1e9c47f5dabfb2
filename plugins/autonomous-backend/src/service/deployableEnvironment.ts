import {
  Environment,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { InputError } from '@backstage/errors';

/** The project's environment of that name, with the ArgoCD application that deploys it. */
export function deployableEnvironment(
  project: Project,
  name: string,
): Environment & { argocdApplication: string } {
  const env = project.environments.find(e => e.name === name);
  if (!env) {
    throw new InputError(
      `environment "${name}" is not one of ${
        project.entityRef
      }'s environments (${project.environments
        .map(e => e.name)
        .join(', ')}); set autonomous.dev/environments to add it`,
    );
  }
  if (!env.argocdApplication) {
    throw new InputError(
      `${project.entityRef} names no ArgoCD application: add the annotation argocd/app-name to its catalog-info.yaml`,
    );
  }
  return { ...env, argocdApplication: env.argocdApplication };
}
