import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { startTestBackend } from '@backstage/backend-test-utils';
import { autonomousModuleReadActions } from './module';

describe('autonomousModuleReadActions', () => {
  it('registers the read actions with the autonomous plugin’s actions registry, read-only', async () => {
    const registered: Array<{ id: string; readOnly?: boolean }> = [];
    await startTestBackend({
      features: [
        // The Autonomous backend plugin the module extends, without its routes.
        createBackendPlugin({
          pluginId: 'autonomous',
          register(reg) {
            reg.registerInit({ deps: {}, async init() {} });
          },
        }),
        autonomousModuleReadActions,
        createServiceFactory({
          service: actionsRegistryServiceRef,
          deps: { plugin: coreServices.pluginMetadata },
          factory: ({ plugin }) => ({
            register: options => {
              registered.push({
                id: `${plugin.getId()}:${options.name}`,
                readOnly: options.attributes?.readOnly,
              });
            },
          }),
        }),
      ],
    });
    expect(registered).toEqual([
      { id: 'autonomous:list-releases', readOnly: true },
      { id: 'autonomous:get-project-status', readOnly: true },
    ]);
  });
});
