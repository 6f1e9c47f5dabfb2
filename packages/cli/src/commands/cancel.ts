import type {
  CancelReleaseRequest,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { Command } from '../context.ts';
import { printJson, printLine } from '../context.ts';
import { parseReleaseId, releasePath } from '../entity.ts';
import { JSON_OPTION, RELEASE_ID_ARGUMENT } from './shared.ts';

export const cancelCommand: Command = {
  spec: {
    name: 'cancel',
    summary:
      'Cancel a release that is still in flight. What already changed in a cluster stays as it is.',
    argument: RELEASE_ID_ARGUMENT,
    options: {
      reason: {
        type: 'string',
        value: '<text>',
        description: 'why, recorded with the release',
      },
      ...JSON_OPTION,
    },
  },
  async run(ctx, args) {
    const id = parseReleaseId(args.argument);
    const body: CancelReleaseRequest = { reason: args.strings.reason };
    const release = await ctx.api.post<Release>(
      `${releasePath(id)}/cancel`,
      body,
    );
    if (args.flags.json) printJson(ctx.stdout, release);
    else
      printLine(
        ctx.stdout,
        `Release ${release.version} (${release.id}) of ${release.entityRef} in ${release.environment} is ${release.status}`,
      );
    return 0;
  },
};
