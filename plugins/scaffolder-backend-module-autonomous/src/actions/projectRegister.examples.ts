import { example } from './examples';

const ACTION = 'autonomous:project:register';

interface Input {
  repoContentsUrl?: string;
  catalogInfoUrl?: string;
  catalogInfoPath?: string;
  entityRef?: string;
  waitForProject?: boolean;
  timeoutMinutes?: number;
}

export const examples = [
  example<Input>(
    ACTION,
    'Register the project of a repository the template just published, and wait until the portal serves it',
    {
      id: 'register',
      name: 'Register the project',
      input: {
        repoContentsUrl: "${{ steps['publish'].output.repoContentsUrl }}",
        catalogInfoPath: '/catalog-info.yaml',
      },
    },
  ),
  example<Input>(
    ACTION,
    'Register the project proposed in a pull request: the catalog reads it once merged',
    {
      id: 'register-after-merge',
      name: 'Register the project (after the merge)',
      input: {
        catalogInfoUrl:
          'https://github.com/acme/shop/blob/main/catalog-info.yaml',
        entityRef: 'component:default/shop',
        waitForProject: false,
      },
    },
  ),
];
