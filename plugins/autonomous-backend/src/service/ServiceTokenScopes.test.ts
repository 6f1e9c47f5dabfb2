import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ServiceTokenScopes } from './ServiceTokenScopes';

const scopes = (serviceTokens: unknown) =>
  ServiceTokenScopes.fromConfig(
    new ConfigReader({ autonomous: { serviceTokens } } as any),
  );
const entity = (owner: string) => async () => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', namespace: 'default' },
  spec: { owner },
});

describe('ServiceTokenScopes', () => {
  const configured = scopes([
    { subject: 'one', entities: ['Component:default/Storefront'] },
    { subject: 'team', owners: ['shop'] },
  ]);

  it('lets a limited subject act on its named entities and its owners’ entities only', async () => {
    const one = mockCredentials.service('one');
    await expect(
      configured.check(one, 'component:default/storefront', entity('x')),
    ).resolves.toBeUndefined();
    await expect(
      configured.check(one, 'component:default/checkout', entity('x')),
    ).rejects.toThrow(
      'service one may not act on component:default/checkout: autonomous.serviceTokens limits it to the entities component:default/storefront',
    );
    const team = mockCredentials.service('team');
    // `shop`, `group:shop` and `group:default/shop` are one owner.
    for (const owner of ['shop', 'group:shop', 'group:default/shop']) {
      await expect(
        configured.check(team, 'component:default/checkout', entity(owner)),
      ).resolves.toBeUndefined();
    }
    await expect(
      configured.check(team, 'component:default/checkout', entity('payments')),
    ).rejects.toThrow('limits it to entities owned by group:default/shop');
  });

  it('leaves users and subjects it does not list alone', async () => {
    const never = async () => {
      throw new Error('the entity is not read');
    };
    await expect(
      configured.check(
        mockCredentials.user('user:default/jane'),
        'component:default/checkout',
        never,
      ),
    ).resolves.toBeUndefined();
    await expect(
      configured.check(
        mockCredentials.service('other'),
        'component:default/checkout',
        never,
      ),
    ).resolves.toBeUndefined();
  });

  it('refuses an entry that names nothing, or a ref that is none', () => {
    expect(() => scopes([{ subject: 'empty' }])).toThrow(
      'autonomous.serviceTokens[0] (subject empty) names no entities and no owners',
    );
    expect(() =>
      scopes([{ subject: 's', entities: ['component:default/'] }]),
    ).toThrow(
      'autonomous.serviceTokens[0].entities: "component:default/" is not an entity ref',
    );
  });
});
