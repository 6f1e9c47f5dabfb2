import { promises as fs } from 'fs';
import {
  AuthService,
  UserInfoService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AutonomousBackendApi } from '../portal/AutonomousBackend';
import { AUTONOMOUS_ANNOTATIONS } from '@autonomous-dev/backstage-plugin-autonomous-common';
import {
  checkOwnedBy,
  databasesOf,
  entitiesOf,
  projectsOf,
} from './projectRegister.checks';
import { documented } from './examples';
import { examples } from './projectRegister.examples';
import { pollUntil } from './poll';
import { parseFullEntityRef, stringifyEntityRef } from './common';

/** The action's id. @public */
export const PROJECT_REGISTER_ACTION_ID = 'autonomous:project:register';

/**
 * Creates the `autonomous:project:register` action. The Autonomous backend has no route that
 * creates a project: a project is its catalog entity's annotations. So the action checks the
 * catalog-info.yaml the template wrote (only Components, Systems, APIs and Resources, all
 * owned by the user, at least one an Autonomous project with valid environments or a
 * database Resource with a known engine), registers
 * its location with the scaffolder's own credentials (the portal's policy keeps
 * `catalog.location.create` for admins, so `catalog:register`, which registers as the user,
 * fails for everyone else), and waits until the backend, asked as the user, serves the
 * project (or, for a database Resource, names its annotated engine).
 *
 * @public
 */
export function createProjectRegisterAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  userInfo: UserInfoService;
  integrations: ScmIntegrationRegistry;
  portal: AutonomousBackendApi;
  /** How often to ask for the project while waiting; default 3 seconds. */
  pollIntervalMs?: number;
}) {
  const pollIntervalMs = options.pollIntervalMs ?? 3000;
  return createTemplateAction({
    id: PROJECT_REGISTER_ACTION_ID,
    description:
      'Registers the Autonomous project described by the catalog-info.yaml the template wrote: checks it (only Components, Systems, APIs and Resources the user owns, valid project annotations), registers its location in the catalog, and waits until the Autonomous backend serves the project to the user.',
    examples: documented(examples),
    supportsDryRun: true,
    schema: {
      input: {
        repoContentsUrl: z =>
          z
            .string({
              description:
                "The repository's contents URL (publish:github's repoContentsUrl); with catalogInfoPath",
            })
            .optional(),
        catalogInfoUrl: z =>
          z
            .string({
              description:
                'The URL the catalog reads the file from, instead of repoContentsUrl',
            })
            .optional(),
        catalogInfoPath: z =>
          z
            .string({
              description:
                'The file in the repository and in the workspace; default /catalog-info.yaml',
            })
            .optional(),
        sourcePath: z =>
          z
            .string({
              description:
                'The workspace folder that was published (publish:github sourcePath); default the workspace itself',
            })
            .optional(),
        entityRef: z =>
          z
            .string({
              description:
                'The project or database Resource to wait for; default every one in the file',
            })
            .optional(),
        waitForProject: z =>
          z
            .boolean({
              description:
                'Wait until the backend serves the project (false when the file is in a pull request not merged yet); default true',
            })
            .optional(),
        timeoutMinutes: z =>
          z
            .number({ description: 'How long to wait at most; default 5' })
            .optional(),
      },
      output: {
        entityRef: z => z.string({ description: 'The (first) project entity' }),
        entityRefs: z =>
          z.array(z.string(), {
            description: 'Every Autonomous project the file describes',
          }),
        catalogInfoUrl: z =>
          z.string({ description: 'The location registered' }),
        environments: z =>
          z
            .array(z.string(), {
              description:
                "The first project's environments, as the backend reads them",
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const path = (input.catalogInfoPath ?? '/catalog-info.yaml').replace(
        /^\/+/,
        '',
      );
      let catalogInfoUrl = input.catalogInfoUrl;
      if (!catalogInfoUrl) {
        if (!input.repoContentsUrl) {
          throw new InputError('give repoContentsUrl or catalogInfoUrl');
        }
        const integration = options.integrations.byUrl(input.repoContentsUrl);
        if (!integration) {
          throw new InputError(
            `no integration is configured for ${input.repoContentsUrl}; add its host under integrations in app-config`,
          );
        }
        catalogInfoUrl = integration.resolveUrl({
          base: input.repoContentsUrl,
          url: `/${path}`,
        });
      } else if (!/^https?:\/\//.test(catalogInfoUrl)) {
        throw new InputError(
          `catalogInfoUrl "${catalogInfoUrl}" is not an http(s) URL`,
        );
      }
      const timeoutMinutes = input.timeoutMinutes ?? 5;
      if (!(timeoutMinutes > 0 && timeoutMinutes <= 120)) {
        throw new InputError('timeoutMinutes must be between 0 and 120');
      }

      // What the catalog will read is what the template wrote into the workspace.
      const file = resolveSafeChildPath(
        ctx.workspacePath,
        `${input.sourcePath ?? '.'}/${path}`,
      );
      const text = await fs.readFile(file, 'utf8').catch(() => {
        throw new InputError(
          `${path} is not in the workspace: write it (fetch:template) before this step`,
        );
      });
      const entities = entitiesOf(text, path);
      const projects = projectsOf(entities);
      const databases = databasesOf(entities);
      const registered = [...projects, ...databases];
      if (registered.length === 0) {
        throw new InputError(
          `${path} describes no Autonomous project or database: annotate a Component with autonomous.dev/project: monolith or microservice, or describe a Resource of spec.type database`,
        );
      }
      const wantedRef =
        input.entityRef &&
        stringifyEntityRef(parseFullEntityRef(input.entityRef));
      const wanted = wantedRef
        ? registered.filter(p => p.ref === wantedRef)
        : registered;
      if (wantedRef && wanted.length === 0) {
        throw new InputError(
          `${path} does not describe the project or database ${wantedRef}; it describes ${registered
            .map(p => p.ref)
            .join(', ')}`,
        );
      }
      const credentials = await ctx.getInitiatorCredentials();
      if (!options.auth.isPrincipal(credentials, 'service')) {
        const { ownershipEntityRefs } = await options.userInfo.getUserInfo(
          credentials,
        );
        checkOwnedBy(entities, ownershipEntityRefs);
      }
      ctx.output('entityRef', wanted[0].ref);
      ctx.output(
        'entityRefs',
        registered.map(p => p.ref),
      );
      ctx.output('catalogInfoUrl', catalogInfoUrl);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would register ${catalogInfoUrl} in the catalog (${entities
            .map(e => e.ref)
            .join(', ')}) and wait for the project${
            wanted.length > 1 ? 's' : ''
          } ${wanted.map(p => p.ref).join(', ')}`,
        );
        return;
      }

      await ctx.checkpoint({
        key: `catalog.location.${catalogInfoUrl}`,
        fn: async () => {
          try {
            await options.catalog.addLocation(
              { type: 'url', target: catalogInfoUrl! },
              { credentials: await options.auth.getOwnServiceCredentials() },
            );
            ctx.logger.info(`Registered ${catalogInfoUrl} in the catalog`);
          } catch (error) {
            // Registered before (a re-run, or the repository was known): the catalog reads it.
            if ((error as Error).name !== ConflictError.name) throw error;
            ctx.logger.info(`${catalogInfoUrl} is already registered`);
          }
        },
      });

      if (input.waitForProject === false) {
        ctx.logger.info(
          `Not waiting: the catalog reads ${catalogInfoUrl} once it exists on that branch`,
        );
        return;
      }
      for (const entity of wanted) {
        const timeoutMessage = `The catalog did not serve ${entity.ref} within ${timeoutMinutes} minutes; look at the errors of the location ${catalogInfoUrl} in the catalog`;
        if (databases.includes(entity)) {
          // The backend names the annotated engine once it reads the Resource from the catalog.
          const engine =
            entity.annotations[AUTONOMOUS_ANNOTATIONS.databaseEngine];
          await pollUntil({
            read: () =>
              options.portal.listDatabaseEngines(entity.ref, credentials),
            done: value => value.defaultEngine === engine,
            intervalMs: pollIntervalMs,
            timeoutMs: timeoutMinutes * 60_000,
            signal: ctx.signal,
            timeoutMessage,
          });
          ctx.logger.info(
            `Database ${entity.ref} (${engine}) is in the catalog; it can be provisioned`,
          );
          continue;
        }
        const found = await pollUntil({
          read: () => options.portal.getProject(entity.ref, credentials),
          done: value => value !== undefined,
          intervalMs: pollIntervalMs,
          timeoutMs: timeoutMinutes * 60_000,
          signal: ctx.signal,
          timeoutMessage,
        });
        ctx.logger.info(
          `Project ${entity.ref} (${
            found!.kind
          }) is served by the Autonomous backend, environments ${found!.environments
            .map(e => e.name)
            .join(', ')}`,
        );
        if (entity === wanted[0]) {
          ctx.output(
            'environments',
            found!.environments.map(e => e.name),
          );
        }
      }
    },
  });
}
