import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { autonomousApiRef, AutonomousClient } from '../api';

/** @alpha */
export const autonomousApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: autonomousApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AutonomousClient({ discoveryApi, fetchApi }),
    }),
});
