import { example } from './examples';

const ACTION = 'autonomous:database:provision';

interface Input {
  entityRef: string;
  engine?: string;
  version?: string;
  storageGi?: number;
  mode?: 'single' | 'cluster';
  name?: string;
  waitUntilReady?: boolean;
  timeoutMinutes?: number;
}

export const examples = [
  example<Input>(
    ACTION,
    "Provision the database Resource's annotated engine and wait until it is ready",
    {
      id: 'database',
      name: 'Provision the database',
      input: {
        entityRef: 'resource:default/orders-db',
        waitUntilReady: true,
      },
    },
  ),
  example<Input>(
    ACTION,
    'A PostgreSQL 15 database with 20 GiB under another name, not waited for',
    {
      id: 'database-pg15',
      name: 'Provision PostgreSQL 15',
      input: {
        entityRef: 'resource:default/orders-db',
        engine: 'postgresql',
        version: '15',
        storageGi: 20,
        name: 'orders-archive',
      },
    },
  ),
];
