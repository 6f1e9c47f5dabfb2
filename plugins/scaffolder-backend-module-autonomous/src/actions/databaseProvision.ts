import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import {
  DATABASE_CLUSTER_MODE_UNAVAILABLE,
  DATABASE_ENGINES,
  DatabaseInstance,
  isDatabaseEngine,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousBackendApi } from '../portal/AutonomousBackend';
import { parseFullEntityRef, stringifyEntityRef } from './common';
import { documented } from './examples';
import { examples } from './databaseProvision.examples';
import { pollUntil } from './poll';

/** The action's id. @public */
export const DATABASE_PROVISION_ACTION_ID = 'autonomous:database:provision';

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** An instance that still counts: a failed or deleted one may be provisioned again. */
const isLive = (d: DatabaseInstance) =>
  d.status !== 'failed' && d.status !== 'deleted';

/**
 * Creates the `autonomous:database:provision` action: a database for a Resource entity of
 * spec.type database, through the Autonomous backend as the user who runs the task (the
 * `autonomous.database.create` permission on the entity), optionally waiting until it is
 * ready with each provisioning step in the task log.
 *
 * @public
 */
export function createDatabaseProvisionAction(options: {
  portal: AutonomousBackendApi;
  /** How often to read the instance while waiting; default 5 seconds. */
  pollIntervalMs?: number;
}) {
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  return createTemplateAction({
    id: DATABASE_PROVISION_ACTION_ID,
    description:
      'Provisions a database for a Resource entity of spec.type database through the Autonomous backend, as the user who runs the template, and optionally waits until it is ready; the task log shows each step. Only single-instance mode is available.',
    examples: documented(examples),
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({
            description:
              'The Resource entity, e.g. resource:default/orders-db (must be in the catalog)',
          }),
        engine: z =>
          z
            .enum(DATABASE_ENGINES as unknown as [string, ...string[]], {
              description:
                "Default: the entity's autonomous.dev/database-engine annotation",
            })
            .optional(),
        version: z =>
          z
            .string({
              description: "One of the engine's versions; default its default",
            })
            .optional(),
        storageGi: z =>
          z
            .number({ description: "Storage in GiB; default the engine's" })
            .optional(),
        mode: z =>
          z
            .enum(['single', 'cluster'], {
              description: 'Only single is available',
            })
            .optional(),
        name: z =>
          z
            .string({
              description:
                "Instance name (namespace db-<name>); default the entity's name",
            })
            .optional(),
        waitUntilReady: z =>
          z
            .boolean({
              description:
                'Wait until the database is ready (the step fails if provisioning fails); default false',
            })
            .optional(),
        timeoutMinutes: z =>
          z
            .number({ description: 'How long to wait at most; default 20' })
            .optional(),
      },
      output: {
        databaseId: z =>
          z.string({ description: 'The instance id' }).optional(),
        name: z => z.string({ description: 'The instance name' }),
        namespace: z =>
          z.string({ description: 'Its Kubernetes namespace' }).optional(),
        status: z =>
          z
            .string({ description: 'Its status when the step ended' })
            .optional(),
        credentialsPath: z =>
          z
            .string({
              description:
                'The Vault path of its credentials (the values stay in Vault)',
            })
            .optional(),
        host: z => z.string({ description: 'Host, once ready' }).optional(),
        port: z => z.number({ description: 'Port, once ready' }).optional(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const ref = parseFullEntityRef(input.entityRef);
      const entityRef = stringifyEntityRef(ref);
      if (ref.kind !== 'resource') {
        throw new InputError(
          `${entityRef} is a ${ref.kind}: databases are provisioned for Resource entities of spec.type database`,
        );
      }
      if (input.mode === 'cluster') {
        throw new InputError(DATABASE_CLUSTER_MODE_UNAVAILABLE);
      }
      if (input.engine !== undefined && !isDatabaseEngine(input.engine)) {
        throw new InputError(
          `engine "${input.engine}" is not one of ${DATABASE_ENGINES.join(
            ', ',
          )}`,
        );
      }
      const name = input.name ?? ref.name;
      if (name.length > 40 || !NAME.test(name)) {
        throw new InputError(
          `name "${name}" must start with a letter, hold lower case letters, digits and dashes, and be at most 40 characters`,
        );
      }
      if (
        input.storageGi !== undefined &&
        !(
          Number.isInteger(input.storageGi) &&
          input.storageGi >= 1 &&
          input.storageGi <= 16384
        )
      ) {
        throw new InputError(
          'storageGi must be a whole number from 1 to 16384',
        );
      }
      const timeoutMinutes = input.timeoutMinutes ?? 20;
      if (!(timeoutMinutes > 0 && timeoutMinutes <= 24 * 60)) {
        throw new InputError('timeoutMinutes must be between 0 and 1440');
      }
      ctx.output('name', name);
      const what = `database ${name} for ${entityRef}${
        input.engine
          ? ` (${input.engine}${input.version ? ` ${input.version}` : ''})`
          : ''
      }`;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would provision ${what} as the user who runs the template${
            input.waitUntilReady ? ', and wait until it is ready' : ''
          }`,
        );
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      const accepted = await ctx.checkpoint({
        key: `autonomous.database.${entityRef}.${name}`,
        fn: async () => {
          // A re-run after a crash that lost the checkpoint finds the instance it asked for.
          const existing = (
            await options.portal.listDatabases(entityRef, credentials)
          ).find(d => d.name === name && isLive(d));
          const instance =
            existing ??
            (await options.portal.provisionDatabase(
              {
                entityRef,
                engine: input.engine,
                version: input.version,
                storageGi: input.storageGi,
                mode: input.mode,
                name: input.name,
              },
              credentials,
            ));
          ctx.logger.info(
            `${existing ? 'Found' : 'Accepted'} ${instance.engine} ${
              instance.version
            } ${what}: ${instance.status}`,
          );
          return { id: instance.id, status: instance.status };
        },
      });
      ctx.output('databaseId', accepted.id);

      let told = 0;
      const report = async () => {
        const events = await options.portal.listDatabaseEvents(
          accepted.id,
          credentials,
        );
        for (const event of events.slice(told)) {
          ctx.logger.info(
            `Database ${name}: ${event.step} ${event.status}: ${event.message}`,
          );
        }
        told = events.length;
      };
      const instance = input.waitUntilReady
        ? await pollUntil<DatabaseInstance>({
            read: async () => {
              const read = await options.portal.getDatabase(
                accepted.id,
                credentials,
              );
              await report();
              return read;
            },
            done: d => d.status === 'ready' || !isLive(d),
            intervalMs: pollIntervalMs,
            timeoutMs: timeoutMinutes * 60_000,
            signal: ctx.signal,
            timeoutMessage: `The ${what} was not ready after ${timeoutMinutes} minutes; follow it on the database's page`,
          })
        : await options.portal.getDatabase(accepted.id, credentials);

      ctx.output('namespace', instance.namespace);
      ctx.output('status', instance.status);
      ctx.output('credentialsPath', instance.credentialsPath);
      if (instance.connection) {
        ctx.output('host', instance.connection.host);
        ctx.output('port', instance.connection.port);
      }
      if (input.waitUntilReady && instance.status !== 'ready') {
        throw new Error(
          `The ${what} ended ${instance.status}${
            instance.statusMessage ? `: ${instance.statusMessage}` : ''
          }`,
        );
      }
    },
  });
}
