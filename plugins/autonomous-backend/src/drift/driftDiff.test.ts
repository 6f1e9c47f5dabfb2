import { describeDrift, driftedResources } from './driftDiff';

const deployment = (spec: object, metadata: object = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop', resourceVersion: '17', ...metadata },
    spec,
    status: { readyReplicas: 3 },
  });

describe('driftedResources', () => {
  it('lists the fields that differ between the live and the predicted state, nothing else', () => {
    const drifted = driftedResources([
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'shop',
        modified: true,
        normalizedLiveState: deployment(
          {
            replicas: 3,
            template: { spec: { containers: [{ image: 'shop:hotfix' }] } },
          },
          { resourceVersion: '18', labels: { 'edited-by': 'hand' } },
        ),
        predictedLiveState: deployment({
          replicas: 1,
          template: { spec: { containers: [{ image: 'shop@sha256:abc' }] } },
        }),
      },
      { kind: 'Service', name: 'shop', modified: false },
      { kind: 'Job', name: 'migrate', modified: true, hook: true },
    ]);
    expect(drifted).toEqual([
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'shop',
        changes: [
          { path: 'metadata.labels', live: '{"edited-by":"hand"}' },
          { path: 'spec.replicas', live: '3', desired: '1' },
          {
            path: 'spec.template.spec.containers[0].image',
            live: '"shop:hotfix"',
            desired: '"shop@sha256:abc"',
          },
        ],
      },
    ]);
    expect(describeDrift(drifted)).toBe(
      'Deployment shop (metadata.labels: {"edited-by":"hand"} live, absent in Git, 2 more)',
    );
  });

  it('says a resource missing from the cluster differs as a whole, and caps long lists', () => {
    const many = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`k${i}`, i]),
    );
    const drifted = driftedResources([
      {
        kind: 'Ingress',
        name: 'shop',
        modified: true,
        targetState: '{"kind":"Ingress"}',
      },
      {
        kind: 'ConfigMap',
        name: 'settings',
        modified: true,
        normalizedLiveState: JSON.stringify({ data: many }),
        predictedLiveState: JSON.stringify({ data: {} }),
      },
    ]);
    expect(drifted[0].changes).toEqual([
      { path: '', desired: 'present in Git' },
    ]);
    expect(drifted[1].changes).toHaveLength(20);
    expect(drifted[1].moreChanges).toBe(5);
    expect(describeDrift(drifted)).toBe(
      'Ingress shop; ConfigMap settings (data.k0: 0 live, absent in Git, 24 more)',
    );
  });
});
