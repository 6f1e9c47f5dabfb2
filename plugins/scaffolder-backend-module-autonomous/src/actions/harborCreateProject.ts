import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ActionUpstreamClients,
  ENTITY_REF_ANNOTATION,
  clientOf,
  parseFullEntityRef,
  stringifyEntityRef,
} from './common';
import { documented } from './examples';
import { examples } from './harborCreateProject.examples';

/** The action's id. @public */
export const HARBOR_CREATE_PROJECT_ACTION_ID =
  'autonomous:harbor:create-project';

const PROJECT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** Whether a Vault secret holds the credentials of this project's robot account. */
function holdsRobot(
  data: Record<string, string> | undefined,
  project: string,
  robot: string,
): boolean {
  const username = data?.username ?? '';
  return Boolean(data?.password) && username.endsWith(`${project}+${robot}`);
}

/**
 * Creates the `autonomous:harbor:create-project` action: a Harbor project with a tag
 * immutability rule and a retention policy, and a robot account for the CI whose secret is
 * written straight to Vault. The secret never reaches the task log, the outputs or the
 * task's checkpoints.
 *
 * @public
 */
export function createHarborCreateProjectAction(options: {
  clients: ActionUpstreamClients;
}) {
  return createTemplateAction({
    id: HARBOR_CREATE_PROJECT_ACTION_ID,
    description:
      'Creates a Harbor project with tag immutability and a retention policy, and a push/pull robot account whose secret goes straight to Vault (outputs carry the Vault path only).',
    examples: documented(examples),
    supportsDryRun: true,
    schema: {
      input: {
        project: z =>
          z.string({
            description:
              'Harbor project name: lower case letters, digits and . _ - between them',
          }),
        vaultPath: z =>
          z.string({
            description:
              'KV v2 path the robot account credentials go to (username, password, registry), e.g. ci/harbor/shop',
          }),
        robotName: z =>
          z
            .string({
              description:
                'Robot account name inside the project; default ci (Harbor names it robot$<project>+<name>)',
            })
            .optional(),
        robotDurationDays: z =>
          z
            .number({
              description:
                'Days the robot account is valid; default -1 (never expires)',
            })
            .int()
            .optional(),
        immutableTagPattern: z =>
          z
            .string({
              description:
                'Tags matching this pattern can never be overwritten; default ** (every tag)',
            })
            .optional(),
        retainLatestPushed: z =>
          z
            .number({
              description:
                'Retention: keep the N most recently pushed artifacts per repository; default 50',
            })
            .int()
            .optional(),
        retentionCron: z =>
          z
            .string({
              description:
                'Retention schedule, cron with seconds; default 0 0 0 * * * (daily)',
            })
            .optional(),
        public: z =>
          z
            .boolean({ description: 'Anyone may pull; default false' })
            .optional(),
        entityRef: z =>
          z
            .string({
              description:
                'The entity the project belongs to, e.g. component:default/shop; named in the robot account description',
            })
            .optional(),
        instance: z =>
          z
            .string({
              description:
                'Harbor instance under autonomous.harbor.instances; default: the first',
            })
            .optional(),
        vaultInstance: z =>
          z
            .string({
              description:
                'Vault instance under autonomous.vault.instances; default: the first',
            })
            .optional(),
      },
      output: {
        project: z => z.string({ description: 'The Harbor project name' }),
        projectId: z =>
          z
            .number({ description: 'The project id (absent in a dry run)' })
            .optional(),
        registryHost: z =>
          z.string({
            description: 'Host images are pushed to and pulled from',
          }),
        imagePrefix: z =>
          z.string({
            description:
              'Image name prefix, <registryHost>/<project>, for the Jenkinsfile and chart',
          }),
        robotAccount: z =>
          z
            .string({
              description:
                'Full robot account name, e.g. robot$shop+ci (absent in a dry run); its secret is in Vault only',
            })
            .optional(),
        vaultPath: z =>
          z.string({ description: 'KV v2 path of the robot credentials' }),
        vaultMount: z => z.string({ description: 'The KV v2 mount' }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const project = input.project;
      if (!PROJECT_NAME.test(project) || project.length > 255) {
        throw new InputError(
          `project "${project}" is not a Harbor project name: lower case letters and digits, with single . _ or - between them`,
        );
      }
      const robotName = input.robotName ?? 'ci';
      if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(robotName)) {
        throw new InputError(
          `robotName "${robotName}" must be lower case letters and digits, with single . _ or - between them`,
        );
      }
      const vaultPath = input.vaultPath.trim().replace(/^\/+|\/+$/g, '');
      if (
        !vaultPath ||
        vaultPath.split('/').some(s => s === '' || s === '.' || s === '..') ||
        /[\s?#%*]/.test(vaultPath)
      ) {
        throw new InputError(
          `vaultPath "${input.vaultPath}" is not a KV v2 secret path, e.g. ci/harbor/shop`,
        );
      }
      const keep = input.retainLatestPushed ?? 50;
      if (keep < 1) {
        throw new InputError('retainLatestPushed must be 1 or more');
      }
      if (
        input.retentionCron !== undefined &&
        input.retentionCron.trim().split(/\s+/).length !== 6
      ) {
        throw new InputError(
          `retentionCron "${input.retentionCron}" must have six fields (seconds first), e.g. 0 0 0 * * *`,
        );
      }
      const entityRef = input.entityRef
        ? stringifyEntityRef(parseFullEntityRef(input.entityRef))
        : undefined;
      const harbor = clientOf(options.clients, 'harbor', input.instance);
      const vault = clientOf(options.clients, 'vault', input.vaultInstance);

      ctx.output('project', project);
      ctx.output('registryHost', harbor.registryHost);
      ctx.output('imagePrefix', `${harbor.registryHost}/${project}`);
      ctx.output('vaultPath', vaultPath);
      ctx.output('vaultMount', vault.kvMount);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create Harbor project "${project}" in "${
            harbor.instanceName
          }" with tags matching ${
            input.immutableTagPattern ?? '**'
          } immutable and the ${keep} latest pushed artifacts kept, and robot account "${robotName}" with its credentials in Vault at ${
            vault.kvMount
          }/${vaultPath}`,
        );
        return;
      }

      // Harbor projects carry no claim: a project that existed before this task may be
      // another team's, and a robot account in it could push there. Only a project this task
      // created is used. Recorded, so a retried or resumed task goes on with its own project.
      const { existed } = await ctx.checkpoint({
        key: `harbor.project-absent.${harbor.instanceName}.${project}`,
        fn: async () => ({
          existed: (await harbor.getProject(project)) !== undefined,
        }),
      });
      if (existed) {
        throw new ConflictError(
          `Harbor project "${project}" already exists; this action only creates new projects. Choose another project name`,
        );
      }

      const { projectId } = await ctx.checkpoint({
        key: `harbor.project.${harbor.instanceName}.${project}`,
        fn: async () => {
          const created = await harbor.ensureProject(project, {
            public: input.public,
            immutableTagPattern: input.immutableTagPattern,
            retainLatestPushed: keep,
            retentionCron: input.retentionCron,
          });
          ctx.logger.info(
            `Harbor project "${project}" is in place with tag immutability and retention`,
          );
          return { projectId: created.project_id };
        },
      });
      ctx.output('projectId', projectId);

      // The value of a checkpoint is stored with the task: it names the robot, never its secret.
      const { robotAccount } = await ctx.checkpoint({
        key: `harbor.robot.${harbor.instanceName}.${project}.${robotName}`,
        fn: async () => {
          const stored = await vault.readSecret(vaultPath);
          if (stored && holdsRobot(stored.data, project, robotName)) {
            // Created and stored by an earlier run that died before it was recorded.
            ctx.logger.info(
              `Robot account ${stored.data.username} already has its credentials in Vault at ${vault.kvMount}/${vaultPath}`,
            );
            return { robotAccount: stored.data.username };
          }
          if (stored) {
            throw new ConflictError(
              `Vault already holds another secret at ${vault.kvMount}/${vaultPath}; choose another vaultPath`,
            );
          }
          const robot = await harbor
            .createRobotAccount(project, robotName, {
              durationDays: input.robotDurationDays,
              description: `CI pushes to ${project}${
                entityRef ? `; ${ENTITY_REF_ANNOTATION}: ${entityRef}` : ''
              }`,
            })
            .catch(error => {
              if ((error as { status?: number }).status === 409) {
                throw new ConflictError(
                  `Harbor robot account "${robotName}" already exists in project "${project}" but its credentials are not in Vault at ${vault.kvMount}/${vaultPath}; delete the robot account in Harbor (or store its refreshed secret there) and run the step again`,
                );
              }
              throw error;
            });
          // cas 0: written only if nobody wrote the path meanwhile.
          await vault.writeSecret(
            vaultPath,
            {
              username: robot.name,
              password: robot.secret,
              registry: harbor.registryHost,
            },
            { cas: 0 },
          );
          ctx.logger.info(
            `Created robot account ${robot.name}; its credentials are in Vault at ${vault.kvMount}/${vaultPath}`,
          );
          return { robotAccount: robot.name };
        },
      });
      ctx.output('robotAccount', robotAccount);
    },
  });
}
