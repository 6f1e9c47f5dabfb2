import { example } from './examples';

const ACTION = 'autonomous:webhook:create';

interface Input {
  repoUrl: string;
  webhookUrl?: string;
  vaultPath?: string;
  vaultInstance?: string;
}

export const examples = [
  example<Input>(
    ACTION,
    "A push webhook on the new GitHub repository, to the portal's webhook route",
    {
      id: 'webhook',
      name: 'Push webhook',
      input: { repoUrl: 'github.com?owner=acme&repo=shop' },
    },
  ),
  example<Input>(
    ACTION,
    'A push hook on a GitLab project in a subgroup, its secret on a named Vault instance',
    {
      id: 'webhook-gitlab',
      name: 'Push hook',
      input: {
        repoUrl: 'gitlab.com?owner=acme/web&repo=shop',
        vaultInstance: 'main',
      },
    },
  ),
];
