import type { Command } from '../context.ts';
import { parseReleaseId, releasePath } from '../entity.ts';
import { RELEASE_ID_ARGUMENT } from './shared.ts';

export const logsCommand: Command = {
  spec: {
    name: 'logs',
    summary:
      "Print a release's build log. With --follow, print it as the build writes it, until the build ends.",
    argument: RELEASE_ID_ARGUMENT,
    options: {
      follow: {
        type: 'boolean',
        description: 'keep printing until the build ends',
      },
    },
  },
  async run(ctx, args) {
    const path = releasePath(parseReleaseId(args.argument));
    if (args.flags.follow) {
      await ctx.api.stream(`${path}/build-log/stream`, text =>
        ctx.stdout.write(text),
      );
    } else {
      ctx.stdout.write(await ctx.api.text(`${path}/build-log/download`));
    }
    return 0;
  },
};
