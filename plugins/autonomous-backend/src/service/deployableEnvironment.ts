import {
  Environment,
  Project,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { InputError } from '@backstage/errors';

/** The one wording of "this environment has no ArgoCD application", wherever it is found. */
export function noArgoCdApplication(
  entityRef: string,
  environment: string,
): string {
  return `${entityRef} names no ArgoCD application for ${environment}: add the annotation argocd/app-name to its catalog-info.yaml`;
}

/**
 * The project's environment of that name, with the ArgoCD application that deploys it; an
 * unknown environment or one without an application is the same 400 on every route.
 */
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
    throw new InputError(noArgoCdApplication(project.entityRef, env.name));
  }
  return { ...env, argocdApplication: env.argocdApplication };
}
