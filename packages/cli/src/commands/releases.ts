import type { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { Command } from '../context.ts';
import { printJson, printLine } from '../context.ts';
import { entityRefString, parseEntityArgument } from '../entity.ts';
import { UsageError } from '../errors.ts';
import { dateTime, releaseDuration, requester, table } from '../format.ts';
import { releaseHistory } from '../history.ts';
import { RELEASE_PAGE_SIZE } from '../limits.ts';
import { ENTITY_ARGUMENT, JSON_OPTION } from './shared.ts';

const MAX_LIMIT = 10_000;

function parseLimit(text: string | undefined): number {
  if (text === undefined) return RELEASE_PAGE_SIZE.default;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_LIMIT) {
    throw new UsageError(
      `--limit "${text}" is not a number of releases: give a whole number from 1 to ${MAX_LIMIT}`,
    );
  }
  return limit;
}

export const releasesCommand: Command = {
  spec: {
    name: 'releases',
    summary: "Show a project's release history, newest first.",
    argument: ENTITY_ARGUMENT,
    options: {
      env: {
        type: 'string',
        value: '<name>',
        description: 'only releases of this environment',
      },
      limit: {
        type: 'string',
        value: '<N>',
        description: `how many releases to show (default ${RELEASE_PAGE_SIZE.default})`,
      },
      ...JSON_OPTION,
    },
  },
  async run(ctx, args) {
    const entity = parseEntityArgument(args.argument);
    const limit = parseLimit(args.strings.limit);
    const environment = args.strings.env;
    const releases: Release[] = [];
    // Without a filter every release counts, so no page needs to be larger than what is left.
    const pageSize = () =>
      environment ? RELEASE_PAGE_SIZE.max : limit - releases.length;
    for await (const release of releaseHistory(ctx.api, entity, {
      environment,
      pageSize,
    })) {
      releases.push(release);
      if (releases.length >= limit) break;
    }
    if (args.flags.json) {
      printJson(ctx.stdout, releases);
      return 0;
    }
    if (releases.length === 0) {
      printLine(
        ctx.stdout,
        `${entityRefString(entity)} has no releases${
          environment ? ` in ${environment}` : ''
        } yet`,
      );
      return 0;
    }
    printLine(
      ctx.stdout,
      table(
        [
          '#',
          'VERSION',
          'ENVIRONMENT',
          'STATUS',
          'TRIGGER',
          'WHO',
          'CREATED',
          'DURATION',
          'ID',
        ],
        releases.map(r => [
          `#${r.number}`,
          r.version,
          r.environment,
          r.status,
          r.trigger,
          requester(r.requestedBy),
          dateTime(r.createdAt),
          releaseDuration(r),
          r.id,
        ]),
      ),
    );
    return 0;
  },
};
