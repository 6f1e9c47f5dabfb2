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
import {
  aRelease,
  mockAutonomousApi,
  projectEntity,
} from '../__testUtils__/releases';
import { entityAutonomousReleasesContent } from './entityContent';
import autonomousPlugin from './index';

describe('the Releases entity tab', () => {
  it('is a tab titled Releases at autonomous-releases, for Autonomous projects only', () => {
    const tester = createExtensionTester(entityAutonomousReleasesContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('autonomous-releases');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Releases');

    const isShownFor = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    )!;
    expect(isShownFor(projectEntity)).toBe(true);
    expect(
      isShownFor({
        ...projectEntity,
        metadata: { name: 'plain', annotations: { 'argocd/app-name': 'x' } },
      }),
    ).toBe(false);
  });

  it('renders the release history from the Autonomous API', async () => {
    const api = mockAutonomousApi({
      listReleases: jest
        .fn()
        .mockResolvedValue({ items: [aRelease({ version: 'v9.9.9' })] }),
    });
    const tester = createExtensionTester(entityAutonomousReleasesContent);

    renderInTestApp(
      <EntityProvider entity={projectEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[autonomousApiRef, api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );

    expect(await screen.findByText('v9.9.9')).toBeInTheDocument();
  });

  it('installs the API and the tab as the autonomous plugin', () => {
    expect(autonomousPlugin.id).toBe('autonomous');
    expect(autonomousPlugin.getExtension('api:autonomous')).toBeDefined();
    expect(
      autonomousPlugin.getExtension('entity-content:autonomous/releases'),
    ).toBeDefined();
  });
});
