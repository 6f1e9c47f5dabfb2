import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { autonomousApi } from './apis';
import { autonomousPage, entityAutonomousMetricsCard } from './autonomousPage';
import { entityAutonomousDatabaseConsoleContent } from './databaseConsoleContent';
import {
  entityAutonomousDatabaseContent,
  entityAutonomousOverviewContent,
  entityAutonomousReleasesContent,
  entityAutonomousSystemServicesContent,
} from './entityContent';
import {
  autonomousSearchResultListItem,
  autonomousSearchResultTypes,
} from './search';
import { autonomousFormFields } from '../components/ScaffolderFields/alpha';

export { autonomousApi } from './apis';
export { autonomousPage, entityAutonomousMetricsCard } from './autonomousPage';
export { entityAutonomousDatabaseConsoleContent } from './databaseConsoleContent';
export {
  entityAutonomousDatabaseContent,
  entityAutonomousOverviewContent,
  entityAutonomousReleasesContent,
  entityAutonomousSystemServicesContent,
} from './entityContent';
export {
  autonomousSearchResultListItem,
  autonomousSearchResultTypes,
} from './search';
export { autonomousFormFields } from '../components/ScaffolderFields/alpha';

/**
 * The Autonomous plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'autonomous',
  title: 'Autonomous',
  info: { packageJson: () => import('../../package.json') },
  extensions: [
    autonomousApi,
    autonomousPage,
    entityAutonomousMetricsCard,
    entityAutonomousOverviewContent,
    entityAutonomousReleasesContent,
    entityAutonomousSystemServicesContent,
    entityAutonomousDatabaseContent,
    entityAutonomousDatabaseConsoleContent,
    autonomousSearchResultListItem,
    ...autonomousSearchResultTypes,
    ...autonomousFormFields,
  ],
});
