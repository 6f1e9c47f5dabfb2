import {
  Project,
  Release,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { UpstreamClients } from '@autonomous-dev/backstage-plugin-autonomous-node';
import { Entity } from '@backstage/catalog-model';
import { DatabaseProjectSettingsStore } from '../database/ProjectSettingsStore';
import { ProjectStore } from '../database/ProjectStore';
import { ProjectSettingsService } from './ProjectSettingsService';

const project: Project = {
  entityRef: 'component:default/shop',
  kind: 'monolith',
  autoDeploy: false,
  upstreams: {},
  environments: [
    {
      name: 'production',
      namespace: 'shop',
      branch: 'main',
      autoDeploy: false,
      domains: [],
      argocdApplication: 'shop',
    },
  ],
};
const entity = { metadata: { name: 'shop' } } as Entity;

/** Clients that fail loudly when a change reaches an upstream. */
const untouchedClients = {
  forEntity: () => {
    throw new Error('reached an upstream');
  },
} as unknown as UpstreamClients;

function serviceWith(statuses: Release['status'][]) {
  return new ProjectSettingsService({
    clients: untouchedClients,
    projects: {} as ProjectStore,
    settings: {
      get: async () => new Map(),
    } as unknown as DatabaseProjectSettingsStore,
    releases: {
      findInFlight: async () =>
        statuses.map(status => ({ number: 12, status } as Release)),
    },
  });
}

describe('ProjectSettingsService', () => {
  it.each(['built', 'syncing', 'rolling-back'] as const)(
    'refuses a change while a release is %s, before anything upstream is touched',
    async status => {
      const change = serviceWith([status]).setScaling(
        { project, entity },
        'production',
        { replicas: 2 },
        'user:default/jane',
      );
      await expect(change).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          'Release #12 is being synced to production',
        ),
      });
    },
  );

  it('lets a change through while a release is only building', async () => {
    await expect(
      serviceWith(['building']).setScaling(
        { project, entity },
        'production',
        { replicas: 2 },
        'user:default/jane',
      ),
    ).rejects.toThrow('reached an upstream');
  });
});
