import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';

/**
 * The Console tab beside the Database tab, on `Resource` entities of `spec.type: database`.
 *
 * @alpha
 */
export const entityAutonomousDatabaseConsoleContent =
  EntityContentBlueprint.make({
    name: 'database-console',
    params: {
      path: 'database-console',
      title: 'Console',
      filter: { kind: 'resource', 'spec.type': 'database' },
      loader: () =>
        import('../components/DatabaseConsole').then(m => (
          <m.DatabaseConsoleContent />
        )),
    },
  });
