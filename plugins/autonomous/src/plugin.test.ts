import { Entity } from '@backstage/catalog-model';
import { autonomousPlugin, isAutonomousAvailable } from './index';

describe('autonomousPlugin', () => {
  it('provides the Autonomous API under the plugin id the backend is mounted at', () => {
    expect(autonomousPlugin.getId()).toBe('autonomous');
    expect([...autonomousPlugin.getApis()].map(f => f.api.id)).toEqual([
      'plugin.autonomous.service',
    ]);
  });
});

describe('isAutonomousAvailable', () => {
  const entity = (annotations?: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', annotations },
  });

  it('is true only for entities marked as Autonomous projects', () => {
    expect(
      isAutonomousAvailable(entity({ 'autonomous.dev/project': 'monolith' })),
    ).toBe(true);
    expect(isAutonomousAvailable(entity({ 'argocd/app-name': 'shop' }))).toBe(
      false,
    );
    expect(isAutonomousAvailable(entity())).toBe(false);
  });
});
