import { createRouteRef, PageBlueprint } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import DashboardIcon from '@material-ui/icons/Dashboard';

/** The page's route: the app lists a page in the sidebar only when it has one. */
const autonomousPageRouteRef = createRouteRef();

/**
 * The Autonomous page at `/autonomous`, with its sidebar item: every project and database the
 * user may read, and a team's delivery metrics.
 *
 * @alpha
 */
export const autonomousPage = PageBlueprint.make({
  params: {
    path: '/autonomous',
    routeRef: autonomousPageRouteRef,
    title: 'Autonomous',
    icon: <DashboardIcon />,
    loader: () =>
      import('../components/AutonomousPage').then(m => <m.AutonomousPage />),
  },
});

/**
 * The project's delivery metrics card on its Overview, on entities with the
 * `autonomous.dev/project` annotation.
 *
 * @alpha
 */
export const entityAutonomousMetricsCard = EntityCardBlueprint.make({
  name: 'delivery-metrics',
  params: {
    type: 'content',
    filter: {
      'metadata.annotations.autonomous.dev/project': { $exists: true },
    },
    loader: () =>
      import('../components/DeliveryMetricsCard').then(m => (
        <m.EntityDeliveryMetricsCard />
      )),
  },
});
