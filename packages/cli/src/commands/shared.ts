import type { OptionSpec } from '../args.ts';

export const ENTITY_ARGUMENT = {
  name: 'entity',
  description:
    'the project: storefront (a component in namespace default), component:storefront, component:default/storefront or system:default/payments',
};

export const RELEASE_ID_ARGUMENT = {
  name: 'release-id',
  description:
    'a release id (a UUID), as printed by "autonomous deploy" and "autonomous releases"',
};

export const JSON_OPTION: Record<string, OptionSpec> = {
  json: {
    type: 'boolean',
    description: "print the portal's answer as JSON instead of text",
  },
};

export const FOLLOW_OPTIONS: Record<string, OptionSpec> = {
  wait: {
    type: 'boolean',
    description:
      'follow the release until it ends: exit 0 when healthy, 1 when failed, cancelled, degraded or rolled back',
  },
  ...JSON_OPTION,
};
