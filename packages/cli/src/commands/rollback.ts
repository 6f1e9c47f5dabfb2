import type {
  Release,
  RollbackRequest,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { ApiClient } from '../client.ts';
import type { Command } from '../context.ts';
import { printLine } from '../context.ts';
import type { EntityArgument } from '../entity.ts';
import {
  entityRefString,
  parseEntityArgument,
  parseReleaseId,
  releasePath,
} from '../entity.ts';
import { CliError, EXIT, UsageError } from '../errors.ts';
import { announceAndMaybeFollow } from '../follow.ts';
import { releaseHistory } from '../history.ts';
import { ENTITY_ARGUMENT, FOLLOW_OPTIONS } from './shared.ts';

/**
 * The previous good release of an environment, read from its history: the newest release
 * that has an image is taken as the current one, and the target is the newest healthy
 * release older than it whose image differs (a redeploy of the same image is no way back).
 */
export async function findRollbackTarget(
  api: ApiClient,
  entity: EntityArgument,
  environment: string,
): Promise<{ current: Release; target: Release }> {
  let current: Release | undefined;
  for await (const release of releaseHistory(api, entity, { environment })) {
    if (!current) {
      if (release.imageRef) current = release;
      continue;
    }
    if (
      release.status === 'healthy' &&
      release.imageRef &&
      release.imageRef !== current.imageRef
    ) {
      return { current, target: release };
    }
  }
  const ref = entityRefString(entity);
  if (!current) {
    throw new CliError(
      `nothing to roll back: no release of ${ref} in ${environment} has an image yet`,
      EXIT.failed,
      `check the environment's name with "autonomous status ${ref}"`,
    );
  }
  throw new CliError(
    `no healthy release of ${ref} in ${environment} older than ${current.version} runs a different image`,
    EXIT.failed,
    `name the release to go back to with --to <release-id> (see "autonomous releases ${ref} --env ${environment}")`,
  );
}

/** A release named with --to must belong to the project and environment asked for. */
async function checkNamedTarget(
  api: ApiClient,
  entity: EntityArgument,
  environment: string,
  id: string,
): Promise<Release> {
  const target = await api.get<Release>(releasePath(id));
  const ref = entityRefString(entity);
  if (
    target.entityRef.toLocaleLowerCase('en-US') !==
    ref.toLocaleLowerCase('en-US')
  ) {
    throw new UsageError(
      `release ${target.version} (${id}) belongs to ${target.entityRef}, not ${ref}`,
    );
  }
  if (target.environment !== environment) {
    throw new UsageError(
      `release ${target.version} (${id}) ran in ${target.environment}, not ${environment}: a rollback goes back within one environment; use "autonomous redeploy ${id} --env ${environment}" to promote its image`,
    );
  }
  return target;
}

export const rollbackCommand: Command = {
  spec: {
    name: 'rollback',
    summary:
      "Go back to an earlier healthy release's image in one environment, without a rebuild. Without --to, the newest healthy release older than the current one whose image differs is chosen. A rollback cancels whatever is in flight for the environment.",
    argument: ENTITY_ARGUMENT,
    options: {
      env: { type: 'string', value: '<name>', description: 'the environment' },
      to: {
        type: 'string',
        value: '<release-id>',
        description: 'the release to go back to',
      },
      reason: {
        type: 'string',
        value: '<text>',
        description: 'why, recorded with the rollback',
      },
      ...FOLLOW_OPTIONS,
    },
    required: ['env'],
  },
  async run(ctx, args) {
    const entity = parseEntityArgument(args.argument);
    const environment = args.strings.env!;
    const json = Boolean(args.flags.json);
    let target: Release;
    if (args.strings.to !== undefined) {
      const id = parseReleaseId(args.strings.to);
      target = await checkNamedTarget(ctx.api, entity, environment, id);
    } else {
      const found = await findRollbackTarget(ctx.api, entity, environment);
      target = found.target;
      if (!json) {
        printLine(
          ctx.stdout,
          `Current release in ${environment}: ${found.current.version} (${found.current.status}); going back to ${target.version} (${target.id}), the newest healthy release with a different image`,
        );
      }
    }
    const body: RollbackRequest = { reason: args.strings.reason };
    const release = await ctx.api.post<Release>(
      `${releasePath(target.id)}/rollback`,
      body,
    );
    return announceAndMaybeFollow(ctx, release, {
      wait: Boolean(args.flags.wait),
      json,
      what: `Rolling back ${entityRefString(entity)} in ${environment} to ${
        target.version
      }`,
    });
  },
};
