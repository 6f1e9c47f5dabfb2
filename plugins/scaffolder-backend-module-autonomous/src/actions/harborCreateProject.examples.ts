import { example } from './examples';

const ACTION = 'autonomous:harbor:create-project';

interface Input {
  project: string;
  vaultPath: string;
  robotName?: string;
  robotDurationDays?: number;
  immutableTagPattern?: string;
  retainLatestPushed?: number;
  retentionCron?: string;
  public?: boolean;
  entityRef?: string;
  instance?: string;
  vaultInstance?: string;
}

export const examples = [
  example<Input>(
    ACTION,
    'A private project with a CI robot account whose credentials go to Vault',
    {
      id: 'harbor',
      name: 'Create the Harbor project',
      input: {
        project: 'shop',
        vaultPath: 'ci/harbor/shop',
        entityRef: 'component:default/shop',
      },
    },
  ),
  example<Input>(
    ACTION,
    'Release tags immutable, the 20 latest artifacts kept, on named instances',
    {
      id: 'harbor-releases',
      name: 'Create the Harbor project for releases',
      input: {
        project: 'shop-releases',
        vaultPath: 'ci/harbor/shop-releases',
        robotName: 'jenkins',
        immutableTagPattern: 'v*',
        retainLatestPushed: 20,
        retentionCron: '0 0 3 * * *',
        instance: 'main',
        vaultInstance: 'main',
      },
    },
  ),
];
