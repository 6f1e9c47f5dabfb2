import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';

/**
 * The Releases tab, shown on entities that carry the `autonomous.dev/project` annotation. The
 * filter is data rather than a function so that app config can still override it.
 *
 * @alpha
 */
export const entityAutonomousReleasesContent = EntityContentBlueprint.make({
  name: 'releases',
  params: {
    path: 'autonomous-releases',
    title: 'Releases',
    filter: {
      'metadata.annotations.autonomous.dev/project': { $exists: true },
    },
    loader: () =>
      import('../components/ReleasesContent').then(m => <m.ReleasesContent />),
  },
});

/**
 * The Database tab, shown on `Resource` entities of `spec.type: database`.
 *
 * @alpha
 */
export const entityAutonomousDatabaseContent = EntityContentBlueprint.make({
  name: 'database',
  params: {
    path: 'database',
    title: 'Database',
    filter: { kind: 'resource', 'spec.type': 'database' },
    loader: () =>
      import('../components/DatabaseTab').then(m => <m.DatabaseContent />),
  },
});
