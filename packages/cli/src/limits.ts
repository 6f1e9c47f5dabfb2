import type { RELEASE_PAGE_SIZE as CommonPageSize } from '@autonomous-dev/backstage-plugin-autonomous-common';

/**
 * The history route's page sizes. The common package cannot be loaded by plain `node` (its
 * sources import without file extensions), so the value is repeated here and the type check
 * keeps the two equal.
 */
export const RELEASE_PAGE_SIZE: typeof CommonPageSize = {
  default: 20,
  max: 100,
};
