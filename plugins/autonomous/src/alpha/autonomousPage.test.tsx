import { createExtensionTester } from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { projectEntity } from '../__testUtils__/releases';
import { autonomousPage, entityAutonomousMetricsCard } from './autonomousPage';

describe('the Autonomous page and the metrics card', () => {
  it('is a page at /autonomous with what the sidebar needs: a route ref, a title and an icon', () => {
    const tester = createExtensionTester(autonomousPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/autonomous');
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
    expect(tester.get(coreExtensionData.title)).toBe('Autonomous');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('puts the metrics card on the Overview of Autonomous projects only', () => {
    const tester = createExtensionTester(entityAutonomousMetricsCard);
    const isShownFor = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(isShownFor(projectEntity)).toBe(true);
    expect(isShownFor({ ...projectEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });
});
