import { Entity } from '@backstage/catalog-model';
import {
  defaultNamespace,
  normalizeSourcePath,
  projectFromEntity,
} from './projectFromEntity';

const entity = (annotations: Record<string, string>, spec = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'payments-team', ...spec },
});

describe('projectFromEntity', () => {
  it('reads a microservice in its system with one production environment by default', () => {
    const result = projectFromEntity(
      entity(
        {
          'autonomous.dev/project': 'microservice',
          'gitlab.com/project-slug': 'acme/payments-api',
        },
        { system: 'payments' },
      ),
    );
    expect(result).toMatchObject({
      ok: true,
      project: {
        kind: 'microservice',
        system: 'system:default/payments',
        autoDeploy: false,
        repository: { provider: 'gitlab', slug: 'acme/payments-api' },
        environments: [
          {
            name: 'production',
            namespace: 'payments-api-production',
            branch: 'main',
          },
        ],
      },
    });
  });

  it('names the bad value of the project annotation', () => {
    expect(
      projectFromEntity(entity({ 'autonomous.dev/project': 'lambda' })),
    ).toEqual({
      ok: false,
      reason:
        'component:default/payments-api has autonomous.dev/project: "lambda", which is not a project kind: use monolith or microservice',
    });
  });

  it('derives namespaces that Kubernetes accepts', () => {
    expect(defaultNamespace('Shop_Front', 'Prod')).toBe('shop-front-prod');
    expect(defaultNamespace('a'.repeat(70), 'production')).toHaveLength(63);
  });

  it('reads the folder a service lives in, however the annotation spells it', () => {
    for (const spelled of [
      'services/payments-api',
      './services/payments-api/',
      'services/payments-api/**',
      '/services/payments-api/*',
    ]) {
      const result = projectFromEntity(
        entity({
          'autonomous.dev/project': 'microservice',
          'autonomous.dev/source-path': spelled,
        }),
      );
      expect({ spelled, result }).toMatchObject({
        spelled,
        result: { ok: true, project: { sourcePath: 'services/payments-api' } },
      });
    }
  });

  it('refuses a source path that leaves the repository or hides a wildcard', () => {
    expect(normalizeSourcePath('../secrets')).toBeUndefined();
    expect(normalizeSourcePath('services/*/api')).toBeUndefined();
    expect(normalizeSourcePath('**')).toBeUndefined();
    const result = projectFromEntity(
      entity({
        'autonomous.dev/project': 'microservice',
        'autonomous.dev/source-path': 'services/../../etc',
      }),
    );
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining(
        'autonomous.dev/source-path: "services/../../etc", which is not a folder of its repository',
      ),
    });
  });
});
