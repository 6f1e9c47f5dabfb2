import { createDevApp } from '@backstage/frontend-dev-utils';
import {
  ApiBlueprint,
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import autonomousPlugin from '../src/alpha';
import { autonomousApiRef } from '../src';
import { ReleasesContent } from '../src/components/ReleasesContent';
import { releasesOnly, SampleAutonomousApi } from './SampleAutonomousApi';
import { sampleEntity } from './sampleProject';

// The dev app has no catalog or backend: the tab is shown for one sample entity, with sample
// releases in place of the real API.
const sampleReleasesTab = (
  <EntityProvider entity={sampleEntity}>
    <ReleasesContent />
  </EntityProvider>
);

const sampleDataModule = createFrontendModule({
  pluginId: 'autonomous',
  extensions: [
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: autonomousApiRef,
          deps: {},
          factory: () => releasesOnly(new SampleAutonomousApi()),
        }),
    }),
    PageBlueprint.make({
      name: 'sample-releases',
      params: {
        path: '/autonomous-releases',
        title: 'Releases (sample data)',
        loader: async () => sampleReleasesTab,
      },
    }),
    // Links to users in the table resolve here, since there is no catalog to show them.
    PageBlueprint.make({
      name: 'sample-entity',
      params: {
        path: '/catalog/:namespace/:kind/:name',
        routeRef: entityRouteRef,
        loader: async () => sampleReleasesTab,
      },
    }),
  ],
});

createDevApp({ features: [autonomousPlugin, sampleDataModule] });
