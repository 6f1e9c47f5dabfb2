import {
  autonomousDatabaseConsoleReadPermission,
  autonomousDatabaseCredentialsPermission,
  autonomousDeployPermission,
  autonomousReadPermission,
  autonomousRollbackPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { AutonomousPermissionPolicy } from './AutonomousPermissionPolicy';

function userOf(userEntityRef: string, groups: string[] = []): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: {
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...groups],
    },
  };
}

const shopDeveloper = userOf('user:default/bob', ['group:default/shop-team']);
const admin = userOf('user:default/alice', ['group:default/platform-team']);

function ownerCondition(claims: string[]) {
  return {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims },
  };
}

describe('AutonomousPermissionPolicy', () => {
  const policy = new AutonomousPermissionPolicy({
    adminGroups: ['group:default/platform-team'],
  });

  it('lets anyone, even without a user identity, read projects', async () => {
    await expect(
      policy.handle({ permission: autonomousReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: autonomousReadPermission }, shopDeveloper),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies changes to callers without a user identity', async () => {
    await expect(
      policy.handle({ permission: autonomousDeployPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows a deploy only on entities the user owns', async () => {
    await expect(
      policy.handle({ permission: autonomousDeployPermission }, shopDeveloper),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: ownerCondition([
        'user:default/bob',
        'group:default/shop-team',
      ]),
    });
  });

  it('keeps credentials and the console to owners although they are reads', async () => {
    for (const permission of [
      autonomousDatabaseCredentialsPermission,
      autonomousDatabaseConsoleReadPermission,
    ]) {
      const decision = await policy.handle({ permission }, shopDeveloper);
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(decision).toMatchObject({
        conditions: ownerCondition([
          'user:default/bob',
          'group:default/shop-team',
        ]),
      });
    }
    await expect(
      policy.handle({ permission: autonomousDatabaseCredentialsPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows everything to members of an admin group', async () => {
    for (const permission of [
      autonomousDeployPermission,
      autonomousRollbackPermission,
      autonomousDatabaseCredentialsPermission,
      autonomousDatabaseConsoleReadPermission,
    ]) {
      await expect(policy.handle({ permission }, admin)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  describe('fromConfig', () => {
    it('defaults the admin group to platform-team', async () => {
      const fromEmptyConfig = AutonomousPermissionPolicy.fromConfig(
        new ConfigReader({}),
      );
      await expect(
        fromEmptyConfig.handle(
          { permission: autonomousDeployPermission },
          admin,
        ),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('reads admin groups, accepting short group names', async () => {
      const shopAdmins = AutonomousPermissionPolicy.fromConfig(
        new ConfigReader({
          autonomous: { permissions: { adminGroups: ['shop-team'] } },
        }),
      );
      await expect(
        shopAdmins.handle(
          { permission: autonomousDeployPermission },
          shopDeveloper,
        ),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
      const decision = await shopAdmins.handle(
        { permission: autonomousDeployPermission },
        admin,
      );
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    });
  });
});
