import { example } from './examples';

const ACTION = 'autonomous:vault:write-secret';

interface Input {
  path: string;
  data: Record<string, string>;
  mode?: 'merge' | 'replace';
  instance?: string;
}

export const examples = [
  example<Input>(ACTION, 'Merge database credentials into a secret', {
    id: 'db-secret',
    name: 'Store the database credentials',
    input: {
      path: 'apps/shop/db',
      data: {
        username: 'shop',
        password: '${{ secrets.dbPassword }}',
      },
    },
  }),
  example<Input>(ACTION, 'Replace a secret on a named Vault instance', {
    id: 'api-key',
    name: 'Store the API key',
    input: {
      path: 'apps/shop/api',
      data: { apiKey: '${{ secrets.apiKey }}' },
      mode: 'replace',
      instance: 'main',
    },
  }),
];
