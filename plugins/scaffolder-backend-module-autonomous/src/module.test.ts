import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { mockServices } from '@backstage/backend-test-utils';
import { scaffolderModuleAutonomous } from './module';
import defaultExport from './index';

const EXPECTED_ACTIONS = [
  'autonomous:argocd:create-app',
  'autonomous:harbor:create-project',
  'autonomous:jenkins:create-job',
  'autonomous:vault:write-secret',
];

describe('scaffolderModuleAutonomous', () => {
  it('is the default export', () => {
    expect(defaultExport).toBe(scaffolderModuleAutonomous);
  });

  it('registers its actions with clients built from the root config', async () => {
    const added: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...actions: any[]) => added.push(...actions) },
        ],
      ],
      features: [
        scaffolderModuleAutonomous,
        mockServices.rootConfig.factory({
          data: {
            autonomous: {
              vault: {
                instances: [{ name: 'main', url: 'http://vault', token: 't' }],
              },
            },
          },
        }),
      ],
    });
    expect(added.map(a => a.id).sort()).toEqual(EXPECTED_ACTIONS);
    for (const action of added) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples?.length).toBeGreaterThan(0);
    }
  });
});
