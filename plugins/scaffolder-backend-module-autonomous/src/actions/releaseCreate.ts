import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import type {
  CreateReleaseRequest,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { AutonomousBackendApi } from '../portal/AutonomousBackend';
import {
  checkDnsLabel,
  parseFullEntityRef,
  stringifyEntityRef,
} from './common';
import { documented } from './examples';
import { examples } from './releaseCreate.examples';
import { pollUntil } from './poll';

/** The action's id. @public */
export const RELEASE_CREATE_ACTION_ID = 'autonomous:release:create';

/** Where a release has stopped moving (healthy counts: it is what we wait for). */
const SETTLED = new Set(['healthy', 'failed', 'cancelled', 'rolled-back']);

/** A git ref the backend would accept: no option-like start, no shell characters, no "..". */
function checkRef(ref: string) {
  if (
    ref.startsWith('-') ||
    ref.includes('..') ||
    /[\s$()`;|&'"<>~^:?*[\\]/.test(ref) ||
    ref.length > 255
  ) {
    throw new InputError(
      `ref "${ref}" is not a branch or tag name: use letters, digits, "/", "-", "_" and ".", not starting with "-"`,
    );
  }
}

/**
 * Creates the `autonomous:release:create` action: a release of the project through the
 * Autonomous backend, as the user who runs the task, optionally waiting until it is healthy
 * with every stage in the task log.
 *
 * @public
 */
export function createReleaseCreateAction(options: {
  portal: AutonomousBackendApi;
  /** How often to read the release while waiting; default 5 seconds. */
  pollIntervalMs?: number;
}) {
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  return createTemplateAction({
    id: RELEASE_CREATE_ACTION_ID,
    description:
      "Creates a release (build and deploy) of an Autonomous project, as the user who runs the template, and optionally waits until it is healthy; the task log shows each stage. The user needs the project's deploy permission.",
    examples: documented(examples),
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({
            description: 'The project entity, e.g. component:default/shop',
          }),
        environment: z =>
          z.string({ description: 'The environment to release to' }),
        ref: z =>
          z
            .string({
              description:
                "Branch or tag to build; default: the environment's branch",
            })
            .optional(),
        commitSha: z =>
          z
            .string({ description: 'A commit to build (7 to 40 hex digits)' })
            .optional(),
        reason: z =>
          z
            .string({ description: 'Why; shown in the release history' })
            .optional(),
        onConflict: z =>
          z
            .enum(['reject', 'queue', 'supersede'], {
              description:
                'When a release is in flight for the environment: reject (default), queue, or supersede it',
            })
            .optional(),
        waitUntilHealthy: z =>
          z
            .boolean({
              description:
                'Wait until the release is healthy (the step fails if it fails); default false',
            })
            .optional(),
        timeoutMinutes: z =>
          z
            .number({
              description: 'How long to wait at most; default 30',
            })
            .optional(),
      },
      output: {
        releaseId: z => z.string({ description: 'The release id' }).optional(),
        releaseNumber: z =>
          z
            .number({ description: "The release's number in its project" })
            .optional(),
        version: z =>
          z.string({ description: 'The image tag it deploys' }).optional(),
        status: z =>
          z
            .string({
              description:
                'Its status when the step ended (healthy when waited for)',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const entityRef = stringifyEntityRef(parseFullEntityRef(input.entityRef));
      checkDnsLabel(input.environment ?? '', 'environment');
      if (input.ref) checkRef(input.ref);
      if (input.commitSha && !/^[0-9a-fA-F]{7,40}$/.test(input.commitSha)) {
        throw new InputError(
          `commitSha "${input.commitSha}" is not a commit: give 7 to 40 hex digits`,
        );
      }
      const timeoutMinutes = input.timeoutMinutes ?? 30;
      if (!(timeoutMinutes > 0 && timeoutMinutes <= 24 * 60)) {
        throw new InputError('timeoutMinutes must be between 0 and 1440');
      }
      // Marks the release as this task's, so a re-run after a crash finds it.
      const marker = `(Software Template task ${ctx.task.id})`;
      const request: CreateReleaseRequest = {
        environment: input.environment,
        ref: input.ref,
        commitSha: input.commitSha,
        reason: `${input.reason ?? 'First release'} ${marker}`.slice(0, 500),
        onConflict: input.onConflict,
        trigger: 'api',
      };
      const what = `${entityRef} to ${input.environment}${
        input.ref ? ` from ${input.ref}` : ''
      }${input.commitSha ? ` at ${input.commitSha}` : ''}`;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would release ${what} as the user who runs the template${
            input.waitUntilHealthy ? ', and wait until it is healthy' : ''
          }`,
        );
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      const created = await ctx.checkpoint({
        key: `autonomous.release.${entityRef}.${input.environment}`,
        fn: async () => {
          // A re-run after a crash that lost the checkpoint: the release is already there.
          const page = await options.portal.listReleases(
            entityRef,
            credentials,
          );
          const earlier = page.items.find(
            r =>
              r.environment === input.environment &&
              (r.reason ?? '').includes(marker),
          );
          const release =
            earlier ??
            (await options.portal.createRelease(
              entityRef,
              request,
              credentials,
            ));
          ctx.logger.info(
            `Release #${release.number} of ${what} ${
              earlier ? 'was already created by this task' : 'created'
            }: ${release.status}`,
          );
          return {
            id: release.id,
            number: release.number,
            version: release.version,
            status: release.status,
          };
        },
      });
      ctx.output('releaseId', created.id);
      ctx.output('releaseNumber', created.number);
      ctx.output('version', created.version);
      if (!input.waitUntilHealthy) {
        ctx.output('status', created.status);
        return;
      }

      let told = 0;
      const settled = await pollUntil<ReleaseWithEvents>({
        read: () => options.portal.getRelease(created.id, credentials),
        done: release => {
          for (const event of release.events.slice(told)) {
            ctx.logger.info(
              `Release #${release.number}: ${
                event.from ? `${event.from} → ` : ''
              }${event.to}: ${event.message}`,
            );
          }
          told = release.events.length;
          return SETTLED.has(release.status);
        },
        intervalMs: pollIntervalMs,
        timeoutMs: timeoutMinutes * 60_000,
        signal: ctx.signal,
        timeoutMessage: `Release #${created.number} of ${what} was not healthy after ${timeoutMinutes} minutes; follow it on the project's page`,
      });
      ctx.output('status', settled.status);
      if (settled.status !== 'healthy') {
        const last = settled.events[settled.events.length - 1];
        throw new Error(
          `Release #${settled.number} of ${what} ended ${settled.status}${
            last ? `: ${last.message}` : ''
          }`,
        );
      }
    },
  });
}
