import type {
  RedeployRequest,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { Command } from '../context.ts';
import { parseReleaseId, releasePath } from '../entity.ts';
import { announceAndMaybeFollow } from '../follow.ts';
import {
  CONFLICT_OPTIONS,
  conflictPolicy,
  withConflictHint,
} from './conflict.ts';
import { FOLLOW_OPTIONS, RELEASE_ID_ARGUMENT } from './shared.ts';

export const redeployCommand: Command = {
  spec: {
    name: 'redeploy',
    summary:
      "Deploy an earlier release's image again, without a rebuild. It goes to its own environment, or with --env to another one (a promotion).",
    argument: RELEASE_ID_ARGUMENT,
    options: {
      env: {
        type: 'string',
        value: '<name>',
        description:
          "where to deploy it (default: the release's own environment)",
      },
      reason: {
        type: 'string',
        value: '<text>',
        description: 'why, recorded with the release',
      },
      ...CONFLICT_OPTIONS,
      ...FOLLOW_OPTIONS,
    },
  },
  async run(ctx, args) {
    const id = parseReleaseId(args.argument);
    const body: RedeployRequest = {
      environment: args.strings.env,
      reason: args.strings.reason,
      onConflict: conflictPolicy(args),
    };
    const release = await withConflictHint(
      ctx.api.post<Release>(`${releasePath(id)}/redeploy`, body),
    );
    return announceAndMaybeFollow(ctx, release, {
      wait: Boolean(args.flags.wait),
      json: Boolean(args.flags.json),
      what: `Redeploying ${release.entityRef} to ${release.environment}`,
    });
  },
};
