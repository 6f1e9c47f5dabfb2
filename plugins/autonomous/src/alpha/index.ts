import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { autonomousApi } from './apis';
import {
  entityAutonomousDatabaseContent,
  entityAutonomousReleasesContent,
} from './entityContent';
import {
  autonomousSearchResultListItem,
  autonomousSearchResultTypes,
} from './search';

export { autonomousApi } from './apis';
export {
  entityAutonomousDatabaseContent,
  entityAutonomousReleasesContent,
} from './entityContent';
export {
  autonomousSearchResultListItem,
  autonomousSearchResultTypes,
} from './search';

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
    entityAutonomousReleasesContent,
    entityAutonomousDatabaseContent,
    autonomousSearchResultListItem,
    ...autonomousSearchResultTypes,
  ],
});
