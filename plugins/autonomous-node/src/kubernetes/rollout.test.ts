import { digestOf, rolloutStatus } from './rollout';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('rolloutStatus', () => {
  const deployment = (status: object, generation = 2) => ({
    metadata: { name: 'web', namespace: 'shop', generation },
    spec: {
      replicas: 2,
      selector: {},
      template: { spec: { containers: [{ name: 'web', image: 'reg/web:1' }] } },
    },
    status,
  });

  it('is complete when the controller saw the spec and every replica is updated and available', () => {
    expect(
      rolloutStatus(
        deployment({
          observedGeneration: 2,
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
        }),
        [],
      ),
    ).toMatchObject({ complete: true, failed: false, message: undefined });
  });

  it('waits for the controller to observe a new generation', () => {
    expect(
      rolloutStatus(
        deployment({
          observedGeneration: 1,
          replicas: 2,
          updatedReplicas: 2,
          availableReplicas: 2,
        }),
        [],
      ),
    ).toMatchObject({
      complete: false,
      message: 'waiting for the controller to see the new spec',
    });
  });

  it('reports a progress deadline as failed', () => {
    expect(
      rolloutStatus(
        deployment({
          observedGeneration: 2,
          replicas: 3,
          updatedReplicas: 1,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "web-2" has timed out progressing.',
            },
          ],
        }),
        [],
      ),
    ).toMatchObject({
      complete: false,
      failed: true,
      message: 'ReplicaSet "web-2" has timed out progressing.',
    });
  });

  it('takes live digests from container image IDs', () => {
    expect(digestOf(`docker-pullable://reg/web@${DIGEST}`)).toBe(DIGEST);
    expect(digestOf('reg/web:1')).toBeUndefined();
    expect(
      rolloutStatus(deployment({}), [
        {
          status: {
            containerStatuses: [
              {
                name: 'web',
                image: 'reg/web:1',
                imageID: `reg/web@${DIGEST}`,
                ready: true,
                restartCount: 0,
              },
            ],
          },
        },
        {
          status: {
            containerStatuses: [
              {
                name: 'web',
                image: 'reg/web:1',
                imageID: `reg/web@${DIGEST}`,
                ready: true,
                restartCount: 0,
              },
            ],
          },
        },
      ] as any).liveImageDigests,
    ).toEqual([DIGEST]);
  });
});
