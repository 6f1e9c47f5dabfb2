import type { SandboxContext } from '../context.ts';
import { timingsFor, defaultCredentials } from '../context.ts';
import { expandVariables, resolveContainerEnv } from './env.ts';
import { KubeStore } from './store.ts';

function store() {
  const ctx: SandboxContext = {
    now: () => Date.now(),
    timings: timingsFor('fast'),
    credentials: defaultCredentials(),
    buildDefaults: { fail: false },
    badDigests: new Set(),
    pushedCommits: new Map(),
  };
  const s = new KubeStore(ctx, { written: () => {}, deleted: () => {} });
  s.create('namespaces', undefined, { metadata: { name: 'db' } });
  s.create('secrets', 'db', {
    metadata: { name: 'orders-credentials' },
    stringData: { ownerPassword: 'pw' },
  });
  return s;
}

const pod = {
  metadata: {
    name: 'p',
    namespace: 'db',
    uid: 'u',
    labels: { 'job-name': 'nightly-29' },
  },
  spec: {},
};

describe('container env', () => {
  it('expands $(VAR) of earlier variables only, and $$ to $', () => {
    expect(expandVariables('a/$(X)/$(Y)/$$(X)', { X: 'x' })).toBe(
      'a/x/$(Y)/$(X)',
    );
  });

  it('resolves Secrets, the downward API and references in order', () => {
    const resolved = resolveContainerEnv(store(), pod, {
      env: [
        {
          name: 'JOB',
          valueFrom: { fieldRef: { fieldPath: "metadata.labels['job-name']" } },
        },
        {
          name: 'PW',
          valueFrom: {
            secretKeyRef: { name: 'orders-credentials', key: 'ownerPassword' },
          },
        },
        { name: 'TARGET', value: 's3://b/orders/scheduled/$(JOB).dump' },
        {
          name: 'NS',
          valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
        },
      ],
    });
    expect(resolved).toEqual({
      ok: true,
      env: {
        JOB: 'nightly-29',
        PW: 'pw',
        TARGET: 's3://b/orders/scheduled/nightly-29.dump',
        NS: 'db',
      },
    });
  });

  it('fails like the kubelet on a missing Secret or key, unless optional', () => {
    const s = store();
    expect(
      resolveContainerEnv(s, pod, {
        env: [
          {
            name: 'X',
            valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } },
          },
        ],
      }),
    ).toEqual({
      ok: false,
      reason: 'CreateContainerConfigError',
      message: 'secret "nope" not found',
    });
    expect(
      resolveContainerEnv(s, pod, {
        env: [
          {
            name: 'X',
            valueFrom: {
              secretKeyRef: { name: 'orders-credentials', key: 'k' },
            },
          },
        ],
      }),
    ).toMatchObject({
      ok: false,
      message: "couldn't find key k in Secret db/orders-credentials",
    });
    expect(
      resolveContainerEnv(s, pod, {
        env: [
          {
            name: 'X',
            valueFrom: {
              secretKeyRef: { name: 'nope', key: 'k', optional: true },
            },
          },
        ],
      }),
    ).toEqual({ ok: true, env: {} });
  });
});
