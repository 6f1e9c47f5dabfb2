import type { ProjectStatus } from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { Command } from '../context.ts';
import { printJson, printLine } from '../context.ts';
import {
  entityRefString,
  parseEntityArgument,
  projectPath,
} from '../entity.ts';
import { ENTITY_ARGUMENT, JSON_OPTION } from './shared.ts';

export const statusCommand: Command = {
  spec: {
    name: 'status',
    summary:
      'Show what each environment of a project runs and how its last release went. One line per environment.',
    argument: ENTITY_ARGUMENT,
    options: { ...JSON_OPTION },
  },
  async run(ctx, args) {
    const entity = parseEntityArgument(args.argument);
    const status = await ctx.api.get<ProjectStatus>(
      `${projectPath(entity)}/status`,
    );
    if (args.flags.json) {
      printJson(ctx.stdout, status);
      return 0;
    }
    if (status.environments.length === 0) {
      printLine(
        ctx.stdout,
        `${entityRefString(
          entity,
        )} has no environments: add them to the project's settings in the portal`,
      );
      return 0;
    }
    const width = Math.max(
      ...status.environments.map(e => e.environment.length),
    );
    for (const environment of status.environments) {
      printLine(
        ctx.stdout,
        `${environment.environment.padEnd(width)}  ${environment.summary}`,
      );
      for (const error of environment.errors ?? []) {
        printLine(ctx.stdout, `${' '.repeat(width)}  (partial: ${error})`);
      }
    }
    return 0;
  },
};
