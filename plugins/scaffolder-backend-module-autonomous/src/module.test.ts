import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderModuleAutonomous } from './module';
import defaultExport from './index';
import { actionContext } from './__testUtils__/actionContext';

const EXPECTED_ACTIONS = [
  'autonomous:argocd:create-app',
  'autonomous:database:provision',
  'autonomous:harbor:create-project',
  'autonomous:jenkins:create-job',
  'autonomous:project:register',
  'autonomous:release:create',
  'autonomous:vault:write-secret',
  'autonomous:webhook:create',
];

/** Starts a backend with the module and returns the actions it registered. */
async function registeredActions(config: object) {
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
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return new Map(added.map(a => [a.id, a]));
}

describe('scaffolderModuleAutonomous', () => {
  it('is the default export', () => {
    expect(defaultExport).toBe(scaffolderModuleAutonomous);
  });

  it('registers its actions, each with examples and dry-run support', async () => {
    const actions = await registeredActions({});
    expect([...actions.keys()].sort()).toEqual(EXPECTED_ACTIONS);
    for (const action of actions.values()) {
      expect(action.supportsDryRun).toBe(true);
      expect(action.examples?.length).toBeGreaterThan(0);
    }
  });

  it('builds the clients from autonomous.<system>.instances in the root config', async () => {
    const actions = await registeredActions({
      autonomous: {
        vault: {
          instances: [
            { name: 'main', url: 'http://vault.test', token: 't' },
            {
              name: 'apps',
              url: 'http://vault2.test',
              token: 't',
              kvMount: 'kv',
            },
          ],
        },
      },
    });
    const vault = actions.get('autonomous:vault:write-secret')!;
    const ctx = actionContext(
      { path: 'apps/shop/db', data: { a: 'b' }, instance: 'apps' },
      { dryRun: true },
    );
    await vault.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('mount', 'kv');

    // A system without instances fails the action that needs it, as bad input.
    const argocd = actions.get('autonomous:argocd:create-app')!;
    await expect(
      argocd.handler(
        actionContext(
          {
            name: 'shop',
            entityRef: 'component:default/shop',
            repoUrl: 'https://github.com/acme/shop.git',
            path: 'chart',
            environments: [{ name: 'staging' }],
          },
          { dryRun: true },
        ),
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('no argocd instance is configured'),
    });
  });
});
