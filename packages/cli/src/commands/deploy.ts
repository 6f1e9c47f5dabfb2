import type {
  CreateReleaseRequest,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import type { Command } from '../context.ts';
import {
  entityRefString,
  parseEntityArgument,
  projectPath,
} from '../entity.ts';
import { UsageError } from '../errors.ts';
import { announceAndMaybeFollow } from '../follow.ts';
import {
  CONFLICT_OPTIONS,
  conflictPolicy,
  withConflictHint,
} from './conflict.ts';
import { ENTITY_ARGUMENT, FOLLOW_OPTIONS } from './shared.ts';

export const deployCommand: Command = {
  spec: {
    name: 'deploy',
    summary:
      "Build a branch, tag or commit and deploy it to one environment. Without --ref or --commit the environment's own branch is built.",
    argument: ENTITY_ARGUMENT,
    options: {
      env: { type: 'string', value: '<name>', description: 'the environment' },
      ref: {
        type: 'string',
        value: '<branch|tag>',
        description: 'the git branch or tag to build',
      },
      commit: {
        type: 'string',
        value: '<sha>',
        description: 'the commit to build (7 to 40 hex characters)',
      },
      reason: {
        type: 'string',
        value: '<text>',
        description: 'why, recorded with the release',
      },
      ...CONFLICT_OPTIONS,
      ...FOLLOW_OPTIONS,
    },
    required: ['env'],
  },
  async run(ctx, args) {
    const entity = parseEntityArgument(args.argument);
    const commitSha = args.strings.commit;
    if (commitSha !== undefined && !/^[0-9a-f]{7,40}$/i.test(commitSha)) {
      throw new UsageError(
        `--commit "${commitSha}" is not a commit SHA: give 7 to 40 hex characters, e.g. --commit 3f2a9c1`,
      );
    }
    const body: CreateReleaseRequest = {
      environment: args.strings.env!,
      ref: args.strings.ref,
      commitSha,
      reason: args.strings.reason,
      onConflict: conflictPolicy(args),
      trigger: 'cli',
    };
    const release = await withConflictHint(
      ctx.api.post<Release>(`${projectPath(entity)}/releases`, body),
    );
    return announceAndMaybeFollow(ctx, release, {
      wait: Boolean(args.flags.wait),
      json: Boolean(args.flags.json),
      what: `Deploying ${entityRefString(entity)} to ${release.environment}`,
    });
  },
};
