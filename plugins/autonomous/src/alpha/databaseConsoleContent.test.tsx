import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { autonomousApiRef } from '../api';
import { mockConsoleApi } from '../__testUtils__/console';
import { databaseEntity } from '../__testUtils__/databases';
import { projectEntity } from '../__testUtils__/releases';
import { entityAutonomousDatabaseConsoleContent } from './databaseConsoleContent';
import autonomousPlugin from './index';

describe('the Console entity tab', () => {
  it('is a tab titled Console at database-console, for database Resources only', () => {
    const tester = createExtensionTester(
      entityAutonomousDatabaseConsoleContent,
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('database-console');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Console');
    const isShownFor = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    expect(isShownFor(databaseEntity)).toBe(true);
    expect(isShownFor(projectEntity)).toBe(false);
  });

  it("renders the console of the resource's ready instance", async () => {
    const tester = createExtensionTester(
      entityAutonomousDatabaseConsoleContent,
    );
    renderInTestApp(
      <EntityProvider entity={databaseEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[autonomousApiRef, mockConsoleApi()]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'Console of orders-db' }),
    ).toBeInTheDocument();
  });

  it('is installed with the plugin', () => {
    expect(
      autonomousPlugin.getExtension(
        'entity-content:autonomous/database-console',
      ),
    ).toBeDefined();
  });
});
