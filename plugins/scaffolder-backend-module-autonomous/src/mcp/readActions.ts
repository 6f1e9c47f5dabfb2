import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotFoundError } from '@backstage/errors';
import type { z as zod } from 'zod/v3';
import type { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousBackendApi } from '../portal/AutonomousBackend';

/** `kind:namespace/name`, as the Autonomous backend's routes take it. */
const FULL_ENTITY_REF = /^[^:/]+:[^:/]+\/[^:/]+$/;

function entityRefOf(input: { entityRef: string }): string {
  const ref = input.entityRef.trim().toLocaleLowerCase('en-US');
  if (!FULL_ENTITY_REF.test(ref)) {
    throw new InputError(
      `entityRef must be a full entity ref such as component:default/shop, not "${input.entityRef}"`,
    );
  }
  return ref;
}

/** What a release says to someone asking about it: no build or ArgoCD internals. */
function summary(release: Release) {
  return {
    number: release.number,
    environment: release.environment,
    version: release.version,
    status: release.status,
    trigger: release.trigger,
    requestedBy: release.requestedBy,
    ...(release.reason ? { reason: release.reason } : {}),
    ...(release.commitSubject ? { commitSubject: release.commitSubject } : {}),
    createdAt: release.createdAt,
    ...(release.finishedAt ? { finishedAt: release.finishedAt } : {}),
  };
}

/**
 * Registers the Autonomous reads that MCP clients (through the MCP actions backend) may call:
 * a project's releases and its status per environment. Both are read-only and ask the
 * Autonomous backend as the caller, so the portal's permission policy decides what they see;
 * nothing that deploys, rolls back or changes a setting is registered here.
 */
export function registerAutonomousReadActions(
  registry: ActionsRegistryService,
  portal: AutonomousBackendApi,
) {
  const releaseSchema = (z: typeof zod) =>
    z.object({
      number: z.number().describe('The release number in its project (#n)'),
      environment: z.string(),
      version: z.string().describe('The image tag the release deploys'),
      status: z
        .string()
        .describe(
          'queued, building, built, syncing, progressing, healthy, degraded, rolling-back, rolled-back, failed or cancelled',
        ),
      trigger: z.string(),
      requestedBy: z.string(),
      reason: z.string().optional(),
      commitSubject: z.string().optional(),
      createdAt: z.string(),
      finishedAt: z.string().optional(),
    });

  registry.register({
    name: 'list-releases',
    title: 'List the releases of an Autonomous project',
    description:
      'The newest releases (at most 100) of an Autonomous project, newest first, optionally of one environment: number, environment, version, status, who or what asked for it and when.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('The project entity, e.g. component:default/shop'),
          environment: z
            .string()
            .optional()
            .describe('Only the releases to this environment'),
        }),
      output: z =>
        z.object({
          releases: z.array(releaseSchema(z)),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = entityRefOf(input);
      const page = await portal.listReleases(entityRef, credentials);
      const releases = page.items
        .filter(r => !input.environment || r.environment === input.environment)
        .map(summary);
      return { output: { releases } };
    },
  });

  registry.register({
    name: 'get-project-status',
    title: 'The status of an Autonomous project',
    description:
      "An Autonomous project's kind, owner and auto-deploy switch, and for each environment its namespace, branch and the newest release (its number, version and status).",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('The project entity, e.g. component:default/shop'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          kind: z.string(),
          owner: z.string().optional(),
          autoDeploy: z.boolean(),
          environments: z.array(
            z.object({
              name: z.string(),
              namespace: z.string(),
              branch: z.string(),
              autoDeploy: z.boolean(),
              latestRelease: releaseSchema(z).optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = entityRefOf(input);
      const project = await portal.getProject(entityRef, credentials);
      if (!project) {
        throw new NotFoundError(
          `${entityRef} is not an Autonomous project the catalog knows; check the entity ref, or register its catalog-info.yaml`,
        );
      }
      const { items } = await portal.listReleases(entityRef, credentials);
      return {
        output: {
          entityRef: project.entityRef,
          kind: project.kind,
          ...(project.owner ? { owner: project.owner } : {}),
          autoDeploy: project.autoDeploy,
          environments: project.environments.map(env => {
            // Newest first: the first one of the environment is its latest.
            const latest = items.find(r => r.environment === env.name);
            return {
              name: env.name,
              namespace: env.namespace,
              branch: env.branch,
              autoDeploy: env.autoDeploy,
              ...(latest ? { latestRelease: summary(latest) } : {}),
            };
          }),
        },
      };
    },
  });
}
