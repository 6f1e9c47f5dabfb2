import { example } from './examples';

const ACTION = 'autonomous:release:create';

interface Input {
  entityRef: string;
  environment: string;
  ref?: string;
  commitSha?: string;
  reason?: string;
  onConflict?: 'reject' | 'queue' | 'supersede';
  waitUntilHealthy?: boolean;
  timeoutMinutes?: number;
}

export const examples = [
  example<Input>(
    ACTION,
    'The first release of a new project to staging, waiting until it is healthy',
    {
      id: 'first-release',
      name: 'First release',
      input: {
        entityRef: 'component:default/shop',
        environment: 'staging',
        waitUntilHealthy: true,
      },
    },
  ),
  example<Input>(
    ACTION,
    'Release a tag to production without waiting, queued behind a release in flight',
    {
      id: 'release-tag',
      name: 'Release v1.0.0',
      input: {
        entityRef: 'component:default/shop',
        environment: 'production',
        ref: 'v1.0.0',
        reason: 'Launch',
        onConflict: 'queue',
      },
    },
  ),
];
