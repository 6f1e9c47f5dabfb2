import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConflictError, InputError } from '@backstage/errors';
import { ArgoCdApplication } from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  ActionUpstreamClients,
  ENTITY_CLAIM_LABELS,
  ENTITY_REF_ANNOTATION,
  ParsedEntityRef,
  checkDnsLabel,
  clientOf,
  isNotFound,
  parseFullEntityRef,
  stringifyEntityRef,
} from './common';
import { documented } from './examples';
import type { EntityOwnershipCheck } from '../ownership';
import { examples } from './argocdCreateApp.examples';

/** The action's id. @public */
export const ARGOCD_CREATE_APP_ACTION_ID = 'autonomous:argocd:create-app';

/** The label naming the environment an Application deploys. @public */
export const ENVIRONMENT_LABEL = 'autonomous.dev/environment';

type Metadata = ArgoCdApplication['metadata'] & {
  annotations?: Record<string, string>;
};

/** Whether an Application claims the entity, by its annotation or by its claim labels. */
export function applicationClaims(
  app: ArgoCdApplication,
  ref: ParsedEntityRef,
): boolean {
  const metadata = app.metadata as Metadata;
  const annotated = metadata.annotations?.[ENTITY_REF_ANNOTATION];
  if (annotated !== undefined) return annotated === stringifyEntityRef(ref);
  const labels = metadata.labels ?? {};
  return (
    labels[ENTITY_CLAIM_LABELS.kind] === ref.kind &&
    labels[ENTITY_CLAIM_LABELS.namespace] === ref.namespace &&
    labels[ENTITY_CLAIM_LABELS.name] === ref.name
  );
}

interface HelmParameter {
  name: string;
  value: string;
  forceString?: boolean;
}

interface EnvironmentInput {
  name: string;
  namespace?: string;
  targetRevision?: string;
  helmValues?: string;
  helmParameters?: HelmParameter[];
  automatedSync?: boolean;
  destinationServer?: string;
  destinationName?: string;
}

/**
 * Creates the `autonomous:argocd:create-app` action: one ArgoCD Application per environment
 * with a Helm source, a destination namespace and automated sync, claimed by its entity (the
 * `autonomous.dev/entity-ref` annotation and label-safe claim labels). An existing
 * Application is updated only when it claims the same entity.
 *
 * @public
 */
export function createArgoCdCreateAppAction(options: {
  clients: ActionUpstreamClients;
  /**
   * Checks that the user running the task owns the entity before an existing Application
   * that claims it is changed. Without it, a claimed Application is updated for anyone.
   */
  ownership?: EntityOwnershipCheck;
}) {
  const helmParameter = (z: any) =>
    z.object({
      name: z.string({ description: 'Helm value path, e.g. image.tag' }),
      value: z.string({ description: 'Its value' }),
      forceString: z.boolean().optional(),
    });
  return createTemplateAction({
    id: ARGOCD_CREATE_APP_ACTION_ID,
    description:
      'Creates or updates one ArgoCD Application per environment from a Helm chart, with its destination namespace and automated sync; every Application carries the claim of its entity.',
    examples: documented(examples),
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Base application name; each environment gets <name>-<environment>',
          }),
        entityRef: z =>
          z.string({
            description:
              'The entity the applications belong to, e.g. component:default/shop (their claim)',
          }),
        repoUrl: z =>
          z.string({
            description:
              'Helm repository URL (with chart) or Git repository URL (with path)',
          }),
        chart: z =>
          z
            .string({ description: 'Chart name in a Helm repository' })
            .optional(),
        path: z =>
          z
            .string({
              description: 'Chart folder in a Git repository, e.g. chart',
            })
            .optional(),
        targetRevision: z =>
          z
            .string({
              description:
                'Chart version (Helm repository, required) or Git revision (default HEAD)',
            })
            .optional(),
        project: z =>
          z
            .string({ description: 'ArgoCD project; default default' })
            .optional(),
        helmValues: z =>
          z
            .string({ description: 'Helm values (YAML) for every environment' })
            .optional(),
        helmParameters: z =>
          z
            .array(helmParameter(z), {
              description: 'Helm parameters for every environment',
            })
            .optional(),
        automatedSync: z =>
          z
            .boolean({
              description: 'Sync automatically on every change; default true',
            })
            .optional(),
        prune: z =>
          z
            .boolean({
              description:
                'With automated sync: delete resources gone from the chart; default true',
            })
            .optional(),
        selfHeal: z =>
          z
            .boolean({
              description:
                'With automated sync: undo changes made in the cluster; default true',
            })
            .optional(),
        portalNaming: z =>
          z
            .boolean({
              description:
                "Name the Applications as the Autonomous backend finds them from the entity's argocd/app-name (give it as name): production, or the only environment, is <name>, the others <name>-<environment>; namespaces stay <name>-<environment>. Default false: every Application is <name>-<environment>",
            })
            .optional(),
        environments: z =>
          z.array(
            z.union([
              z.string({ description: 'Environment name, e.g. staging' }),
              z.object({
                name: z.string({
                  description: 'Environment name, e.g. staging',
                }),
                namespace: z
                  .string({
                    description:
                      'Destination namespace; default <name>-<environment>',
                  })
                  .optional(),
                targetRevision: z.string().optional(),
                helmValues: z
                  .string({
                    description:
                      'Helm values (YAML) for this environment only; replaces the shared ones',
                  })
                  .optional(),
                helmParameters: z
                  .array(helmParameter(z), {
                    description:
                      'Helm parameters for this environment, on top of the shared ones',
                  })
                  .optional(),
                automatedSync: z.boolean().optional(),
                destinationServer: z
                  .string({
                    description:
                      'Cluster API URL; default https://kubernetes.default.svc',
                  })
                  .optional(),
                destinationName: z
                  .string({ description: 'Cluster name registered in ArgoCD' })
                  .optional(),
              }),
            ]),
            {
              description:
                'One Application per environment, in promotion order',
            },
          ),
        instance: z =>
          z
            .string({
              description:
                'ArgoCD instance under autonomous.argocd.instances; default: the first',
            })
            .optional(),
      },
      output: {
        applications: z =>
          z.array(
            z.object({
              environment: z.string(),
              name: z.string(),
              namespace: z.string(),
            }),
            { description: 'The Applications, one per environment' },
          ),
        applicationNames: z =>
          z.array(z.string(), {
            description: 'Their names, e.g. for the argocd/app-name annotation',
          }),
        instance: z => z.string({ description: 'The ArgoCD instance used' }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const ref = parseFullEntityRef(input.entityRef);
      const entityRef = stringifyEntityRef(ref);
      checkDnsLabel(input.name, 'name', 50);
      if (Boolean(input.chart) === Boolean(input.path)) {
        throw new InputError(
          'give either chart (a chart in a Helm repository) or path (a chart folder in a Git repository)',
        );
      }
      if (input.chart && !input.targetRevision) {
        throw new InputError(
          'targetRevision (the chart version) is required with chart',
        );
      }
      if (
        !/^(https?|oci|ssh|git):\/\/\S+$|^[\w.-]+@[\w.-]+:\S+$/.test(
          input.repoUrl,
        )
      ) {
        throw new InputError(
          `repoUrl "${input.repoUrl}" is not a Helm or Git repository URL`,
        );
      }
      const environments: EnvironmentInput[] = (input.environments ?? []).map(
        (env: string | EnvironmentInput) =>
          typeof env === 'string' ? { name: env } : env,
      );
      if (environments.length === 0) {
        throw new InputError('environments must name at least one environment');
      }
      const seen = new Set<string>();
      const plan = environments.map(env => {
        checkDnsLabel(env.name, 'environment name');
        if (seen.has(env.name)) {
          throw new InputError(`environment "${env.name}" is listed twice`);
        }
        seen.add(env.name);
        const appName =
          input.portalNaming &&
          (env.name === 'production' || environments.length === 1)
            ? input.name
            : `${input.name}-${env.name}`;
        checkDnsLabel(appName, 'application name');
        const namespace =
          env.namespace ??
          (input.portalNaming ? `${input.name}-${env.name}` : appName);
        checkDnsLabel(namespace, `namespace of environment "${env.name}"`);
        if (env.destinationServer && env.destinationName) {
          throw new InputError(
            `environment "${env.name}" gives both destinationServer and destinationName; give one`,
          );
        }
        const parameters = new Map<string, HelmParameter>();
        for (const p of [
          ...(input.helmParameters ?? []),
          ...(env.helmParameters ?? []),
        ]) {
          parameters.set(p.name, p);
        }
        const automated = env.automatedSync ?? input.automatedSync ?? true;
        return {
          environment: env.name,
          spec: {
            name: appName,
            project: input.project,
            repoURL: input.repoUrl,
            chart: input.chart,
            path: input.path,
            targetRevision:
              env.targetRevision ?? input.targetRevision ?? 'HEAD',
            helmValues: env.helmValues ?? input.helmValues,
            helmParameters: [...parameters.values()],
            destinationNamespace: namespace,
            destinationServer: env.destinationServer,
            destinationName: env.destinationName,
            automatedSync: automated
              ? {
                  prune: input.prune ?? true,
                  selfHeal: input.selfHeal ?? true,
                }
              : false,
            labels: {
              [ENTITY_CLAIM_LABELS.kind]: ref.kind,
              [ENTITY_CLAIM_LABELS.namespace]: ref.namespace,
              [ENTITY_CLAIM_LABELS.name]: ref.name,
              [ENVIRONMENT_LABEL]: env.name,
            },
          },
        };
      });

      const argocd = clientOf(options.clients, 'argocd', input.instance);
      const applications = plan.map(p => ({
        environment: p.environment,
        name: p.spec.name,
        namespace: p.spec.destinationNamespace,
      }));
      ctx.output('instance', argocd.instanceName);

      if (ctx.isDryRun) {
        for (const p of plan) {
          ctx.logger.info(
            `Dry run: would create or update ArgoCD application "${
              p.spec.name
            }" in "${argocd.instanceName}" deploying ${
              p.spec.chart ?? p.spec.path
            }@${p.spec.targetRevision} to namespace ${
              p.spec.destinationNamespace
            } with automated sync ${
              p.spec.automatedSync ? 'on' : 'off'
            }, claimed by ${entityRef}`,
          );
        }
        ctx.output('applications', applications);
        ctx.output(
          'applicationNames',
          applications.map(a => a.name),
        );
        return;
      }

      for (const p of plan) {
        await ctx.checkpoint({
          key: `argocd.app.${argocd.instanceName}.${p.spec.name}`,
          fn: async () => {
            // Only an Application that claims this entity is updated.
            const existing = await argocd
              .getApplication(p.spec.name)
              .catch(error => {
                if (isNotFound(error)) return undefined;
                throw error;
              });
            if (existing && !applicationClaims(existing, ref)) {
              throw new ConflictError(
                `ArgoCD application "${p.spec.name}" exists and does not belong to ${entityRef}; choose another name`,
              );
            }
            if (existing && options.ownership) {
              await options.ownership.assertOwner(
                entityRef,
                await ctx.getInitiatorCredentials(),
              );
            }
            // The claim labels go in with the spec, so the Application is never unclaimed.
            await argocd.upsertApplication(p.spec);
            await argocd.patchApplication(
              p.spec.name,
              {
                metadata: {
                  annotations: { [ENTITY_REF_ANNOTATION]: entityRef },
                },
              },
              `claim of application "${p.spec.name}" for ${entityRef}`,
            );
            ctx.logger.info(
              `ArgoCD application "${p.spec.name}" ${
                existing ? 'updated' : 'created'
              } for environment ${p.environment}, namespace ${
                p.spec.destinationNamespace
              }`,
            );
          },
        });
      }
      ctx.output('applications', applications);
      ctx.output(
        'applicationNames',
        applications.map(a => a.name),
      );
    },
  });
}
