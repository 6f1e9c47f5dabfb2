import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { autonomousReadPermission } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { EntityAuthorizer } from './EntityAuthorizer';

const alice = mockCredentials.user('user:default/alice');
const bob = mockCredentials.user('user:default/bob');

function setup(broad: AuthorizeResult) {
  let clock = 0;
  const permissions = mockServices.permissions.mock({
    authorizeConditional: jest.fn(async () => [{ result: broad }] as any),
    authorize: jest.fn(async requests =>
      requests.map((r: any) => ({
        result:
          r.resourceRef === 'component:default/mine'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
    ),
  });
  const authorizer = new EntityAuthorizer(permissions, {
    cacheMs: 5_000,
    now: () => clock,
  });
  return { permissions, authorizer, advance: (ms: number) => (clock += ms) };
}

describe('EntityAuthorizer', () => {
  it('asks once per caller while the answer is fresh, also for concurrent requests', async () => {
    const { permissions, authorizer, advance } = setup(AuthorizeResult.ALLOW);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        authorizer.authorize(
          alice,
          autonomousReadPermission,
          `component:default/p${i}`,
        ),
      ),
    );
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    await authorizer.authorize(
      bob,
      autonomousReadPermission,
      'component:default/p1',
    );
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
    advance(5_001);
    await authorizer.authorize(
      alice,
      autonomousReadPermission,
      'component:default/p1',
    );
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(3);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('does not share an answer between two tokens of one subject with different restrictions', async () => {
    const { permissions, authorizer } = setup(AuthorizeResult.ALLOW);
    const readOnly = mockCredentials.service('external:ci', {
      permissionNames: ['autonomous.project.read'],
    });
    const deployer = mockCredentials.service('external:ci', {
      permissionNames: ['autonomous.project.read', 'autonomous.release.deploy'],
    });
    await authorizer.authorize(
      readOnly,
      autonomousReadPermission,
      'component:default/p1',
    );
    await authorizer.authorize(
      deployer,
      autonomousReadPermission,
      'component:default/p1',
    );
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
    await authorizer.authorize(
      deployer,
      autonomousReadPermission,
      'component:default/p2',
    );
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
  });

  it('denies everywhere without asking per entity when the policy denies', async () => {
    const { permissions, authorizer } = setup(AuthorizeResult.DENY);
    await expect(
      authorizer.authorize(
        alice,
        autonomousReadPermission,
        'component:default/mine',
      ),
    ).rejects.toThrow(NotAllowedError);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('asks per entity when the policy answers with conditions', async () => {
    const { authorizer } = setup(AuthorizeResult.CONDITIONAL);
    await expect(
      authorizer.authorize(
        alice,
        autonomousReadPermission,
        'component:default/mine',
      ),
    ).resolves.toBeUndefined();
    await expect(
      authorizer.authorize(
        alice,
        autonomousReadPermission,
        'component:default/theirs',
      ),
    ).rejects.toThrow(
      'you are not allowed autonomous.project.read on component:default/theirs',
    );
  });

  it('does not remember a failed question', async () => {
    const { permissions, authorizer } = setup(AuthorizeResult.ALLOW);
    (permissions.authorizeConditional as jest.Mock).mockRejectedValueOnce(
      new Error('permission backend unavailable'),
    );
    await expect(
      authorizer.authorize(
        alice,
        autonomousReadPermission,
        'component:default/p',
      ),
    ).rejects.toThrow('permission backend unavailable');
    await expect(
      authorizer.authorize(
        alice,
        autonomousReadPermission,
        'component:default/p',
      ),
    ).resolves.toBeUndefined();
  });
});
