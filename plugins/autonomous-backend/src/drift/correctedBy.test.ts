import { Release } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ArgoCdApplication } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { correctedBy } from './correctedBy';

const episode = { since: '2026-12-06T05:00:00.400Z', releaseId: 'r1' };

const release = (overrides: Partial<Release>): Release => ({
  id: 'r1',
  number: 1,
  entityRef: 'component:default/shop',
  environment: 'production',
  version: 'main-1',
  trigger: 'manual',
  requestedBy: 'user:default/ada',
  status: 'healthy',
  createdAt: '2026-12-06T04:00:00.000Z',
  ...overrides,
});

const app = (operationState?: Record<string, unknown>): ArgoCdApplication =>
  ({
    metadata: { name: 'shop' },
    spec: {},
    status: { sync: { status: 'Synced' }, operationState },
  } as ArgoCdApplication);

const synced = (initiatedBy: Record<string, unknown>, startedAt: string) =>
  app({ phase: 'Succeeded', startedAt, operation: { initiatedBy } });

describe('correctedBy', () => {
  it('credits a release that deployed since the drift was detected, not one that never did', () => {
    const history = [
      release({
        id: 'r3',
        number: 3,
        status: 'cancelled',
        createdAt: '2026-12-06T05:02:00Z',
      }),
      release({
        id: 'r2',
        number: 2,
        version: 'main-2',
        createdAt: '2026-12-06T05:01:00Z',
      }),
      release({}),
    ];
    expect(correctedBy(app(), history, episode)).toBe(
      'by release #2 (main-2), requested by user:default/ada',
    );
    expect(correctedBy(app(), [history[0], history[2]], episode)).toMatch(
      /^by itself/,
    );
  });

  it('names ArgoCD’s automated sync, or the account of a sync started since the drift', () => {
    const history = [release({})];
    // ArgoCD's times have whole seconds: a sync in the drift's second counts.
    expect(
      correctedBy(
        synced({ automated: true }, '2026-12-06T05:00:00Z'),
        history,
        episode,
      ),
    ).toBe("by ArgoCD's automated sync (self-heal)");
    expect(
      correctedBy(
        synced({ username: 'backstage' }, '2026-12-06T05:03:00Z'),
        history,
        episode,
      ),
    ).toBe('by a sync as ArgoCD account backstage');
    expect(
      correctedBy(
        synced({ username: 'backstage' }, '2026-12-06T04:59:59Z'),
        history,
        episode,
      ),
    ).toMatch(/^by itself: no release or sync since it was detected/);
  });

  it('names the person who asked the portal for the sync, not the portal’s ArgoCD account', () => {
    const history = [release({})];
    const alice = {
      requestedBy: 'user:default/alice',
      requestedAt: '2026-12-06T05:03:00.700Z',
    };
    const portalSync = (startedAt: string) =>
      correctedBy(
        synced({ username: 'backstage' }, startedAt),
        history,
        episode,
        alice,
      );
    // ArgoCD's start has whole seconds: a start in the request's second is that sync.
    expect(portalSync('2026-12-06T05:03:00Z')).toBe(
      'by a sync requested by user:default/alice',
    );
    expect(portalSync('2026-12-06T05:03:04Z')).toBe(
      'by a sync requested by user:default/alice',
    );
    // Started before she asked, or long after: someone else's sync with the same account.
    expect(portalSync('2026-12-06T05:02:59Z')).toBe(
      'by a sync as ArgoCD account backstage',
    );
    expect(portalSync('2026-12-06T05:30:00Z')).toBe(
      'by a sync as ArgoCD account backstage',
    );
    // Self-heal stays self-heal.
    expect(
      correctedBy(
        synced({ automated: true }, '2026-12-06T05:03:01Z'),
        history,
        episode,
        alice,
      ),
    ).toBe("by ArgoCD's automated sync (self-heal)");
  });
});
