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
 * The project's Autonomous overview: status and actions per environment, domains and TLS,
 * auto-deploy, variables, scaling and the Git webhook. Shown on entities that carry the
 * `autonomous.dev/project` annotation, before the Releases tab.
 *
 * @alpha
 */
export const entityAutonomousOverviewContent = EntityContentBlueprint.make({
  name: 'overview',
  params: {
    path: 'autonomous',
    title: 'Autonomous',
    filter: {
      'metadata.annotations.autonomous.dev/project': { $exists: true },
    },
    loader: () =>
      import('../components/Overview').then(m => <m.OverviewContent />),
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

/**
 * The Services tab of a microservice project's System: each service's readiness, current
 * release and domain, Deploy per service or several together, and deleting the project after
 * its name is typed. Shown on Systems that carry the `autonomous.dev/project` annotation.
 *
 * @alpha
 */
export const entityAutonomousSystemServicesContent =
  EntityContentBlueprint.make({
    name: 'system-services',
    params: {
      path: 'autonomous-services',
      title: 'Services',
      filter: {
        kind: 'system',
        'metadata.annotations.autonomous.dev/project': { $exists: true },
      },
      loader: () =>
        import('../components/SystemServices').then(m => <m.SystemServices />),
    },
  });
