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
import { databaseEntity, mockDatabaseApi } from '../__testUtils__/databases';
import { projectEntity } from '../__testUtils__/releases';
import { entityAutonomousDatabaseContent } from './entityContent';
import autonomousPlugin from './index';

describe('the Database entity tab', () => {
  it('is a tab titled Database at database, for database Resources only', () => {
    const tester = createExtensionTester(entityAutonomousDatabaseContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('database');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Database');

    const isShownFor = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    expect(isShownFor(databaseEntity)).toBe(true);
    expect(isShownFor(projectEntity)).toBe(false);
    expect(isShownFor({ ...databaseEntity, spec: { type: 's3-bucket' } })).toBe(
      false,
    );
  });

  it('renders the database from the Autonomous API', async () => {
    const tester = createExtensionTester(entityAutonomousDatabaseContent);
    renderInTestApp(
      <EntityProvider entity={databaseEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[autonomousApiRef, mockDatabaseApi()]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'orders-db' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('10.0.0.7')).toBeInTheDocument();
  });

  it('is installed with the plugin', () => {
    expect(
      autonomousPlugin.getExtension('entity-content:autonomous/database'),
    ).toBeDefined();
  });
});
