import {
  autonomousDatabaseBackupPermission,
  autonomousDatabaseConsoleAuditPermission,
  autonomousDatabaseConsoleReadPermission,
  autonomousDatabaseConsoleWritePermission,
  autonomousDatabaseCreatePermission,
  autonomousDatabaseCredentialsPermission,
  autonomousDatabaseDeletePermission,
  autonomousDatabaseRestorePermission,
  autonomousDeployPermission,
  autonomousLogsReadPermission,
  autonomousNotifyPermission,
  autonomousPermissions,
  autonomousReadPermission,
  autonomousRollbackPermission,
  autonomousRolloutAbortPermission,
  autonomousRolloutPromotePermission,
  autonomousSettingsPermission,
  autonomousProjectDeletePermission,
  autonomousSyncPermission,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
  Permission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { AutonomousPermissionPolicy } from './AutonomousPermissionPolicy';

/*
 * Who may do what in the portal, as a user sees it: each decision is applied to
 * payments-api, owned by payments-team, the way the catalog applies a conditional one.
 */

function userOf(userEntityRef: string, group: string): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef, group] },
  };
}

type Principal = 'anonymous' | 'guest' | 'owner' | 'admin';
const principals: Record<Principal, PolicyQueryUser | undefined> = {
  anonymous: undefined,
  // The development sign-in: a member of shop-team, which does not own payments-api.
  guest: userOf('user:default/guest', 'group:default/shop-team'),
  owner: userOf('user:default/carol', 'group:default/payments-team'),
  admin: userOf('user:default/alice', 'group:default/platform-team'),
};

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { owner: 'payments-team' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments-team' }],
};

function appliesTo(
  criteria: PermissionCriteria<PermissionCondition>,
  entity: Entity,
): boolean {
  if ('allOf' in criteria)
    return criteria.allOf.every(c => appliesTo(c, entity));
  if ('anyOf' in criteria)
    return criteria.anyOf.some(c => appliesTo(c, entity));
  if ('not' in criteria) return !appliesTo(criteria.not, entity);
  const rule = Object.values(permissionRules).find(
    r => r.name === criteria.rule,
  );
  if (!rule) throw new Error(`the catalog has no rule ${criteria.rule}`);
  return rule.apply(entity, criteria.params as any);
}

function outcome(decision: PolicyDecision): 'allow' | 'deny' {
  if (decision.result === AuthorizeResult.CONDITIONAL) {
    expect(decision.pluginId).toBe('catalog');
    return appliesTo(decision.conditions, paymentsApi) ? 'allow' : 'deny';
  }
  return decision.result === AuthorizeResult.ALLOW ? 'allow' : 'deny';
}

// The definitions of @backstage/plugin-kubernetes-common 0.9 and
// @backstage/plugin-scaffolder-common 2.3 (not dependencies of the portal's backend).
const kubernetesProxy = createPermission({
  name: 'kubernetes.proxy',
  attributes: {},
});
const kubernetesResourcesRead = createPermission({
  name: 'kubernetes.resources.read',
  attributes: { action: 'read' },
});
const kubernetesClustersRead = createPermission({
  name: 'kubernetes.clusters.read',
  attributes: { action: 'read' },
});
const scaffolderTaskCreate = createPermission({
  name: 'scaffolder.task.create',
  attributes: { action: 'create' },
});
const scaffolderActionExecute = createPermission({
  name: 'scaffolder.action.execute',
  attributes: {},
  resourceType: 'scaffolder-action',
});
const scaffolderDryRun = createPermission({
  name: 'scaffolder.template.dry-run',
  attributes: {},
});
const scaffolderTemplateManagement = createPermission({
  name: 'scaffolder.template.management',
  attributes: {},
});
const scaffolderTaskRead = createPermission({
  name: 'scaffolder.task.read',
  attributes: { action: 'read' },
  resourceType: 'scaffolder-task',
});
const unknownDelete = createPermission({
  name: 'example.widget.delete',
  attributes: { action: 'delete' },
});

type Row = [anonymous: string, guest: string, owner: string, admin: string];
const A = 'allow';
const D = 'deny';

const matrix: Record<string, [Permission, Row]> = {
  'catalog.entity.read': [byName('catalog.entity.read'), [A, A, A, A]],
  'catalog.entity.create': [byName('catalog.entity.create'), [D, A, A, A]],
  'catalog.entity.delete': [byName('catalog.entity.delete'), [D, D, A, A]],
  'catalog.entity.refresh': [byName('catalog.entity.refresh'), [D, D, A, A]],
  'catalog.entity.validate': [byName('catalog.entity.validate'), [D, A, A, A]],
  'catalog.location.read': [byName('catalog.location.read'), [A, A, A, A]],
  'catalog.location.create': [byName('catalog.location.create'), [D, D, D, A]],
  'catalog.location.delete': [byName('catalog.location.delete'), [D, D, D, A]],
  'catalog.location.analyze': [
    byName('catalog.location.analyze'),
    [D, D, D, A],
  ],
  'catalog.ingestion.read': [byName('catalog.ingestion.read'), [A, A, A, A]],
  'catalog.ingestion.manage': [
    byName('catalog.ingestion.manage'),
    [D, D, D, A],
  ],
  'kubernetes.proxy': [kubernetesProxy, [D, D, D, A]],
  'kubernetes.resources.read': [kubernetesResourcesRead, [A, A, A, A]],
  'kubernetes.clusters.read': [kubernetesClustersRead, [A, A, A, A]],
  'scaffolder.task.create': [scaffolderTaskCreate, [D, A, A, A]],
  'scaffolder.action.execute': [scaffolderActionExecute, [D, A, A, A]],
  'scaffolder.task.read': [scaffolderTaskRead, [A, A, A, A]],
  'scaffolder.template.dry-run': [scaffolderDryRun, [D, D, D, A]],
  'scaffolder.template.management': [
    scaffolderTemplateManagement,
    [D, D, D, A],
  ],
  'autonomous.project.read': [autonomousReadPermission, [A, A, A, A]],
  'autonomous.logs.read': [autonomousLogsReadPermission, [D, D, A, A]],
  'autonomous.release.deploy': [autonomousDeployPermission, [D, D, A, A]],
  'autonomous.release.sync': [autonomousSyncPermission, [D, D, A, A]],
  'autonomous.release.rollback': [autonomousRollbackPermission, [D, D, A, A]],
  // Progressive delivery: owners promote and abort, as they deploy.
  'autonomous.rollout.promote': [
    autonomousRolloutPromotePermission,
    [D, D, A, A],
  ],
  'autonomous.rollout.abort': [autonomousRolloutAbortPermission, [D, D, A, A]],
  'autonomous.project.settings': [autonomousSettingsPermission, [D, D, A, A]],
  // Deleting a project removes its applications: its owners, as they deploy it.
  'autonomous.project.delete': [
    autonomousProjectDeletePermission,
    [D, D, A, A],
  ],
  // Databases: everyone who may read the entity sees them; its owners act and read passwords.
  'autonomous.database.create': [
    autonomousDatabaseCreatePermission,
    [D, D, A, A],
  ],
  'autonomous.database.credentials.read': [
    autonomousDatabaseCredentialsPermission,
    [D, D, A, A],
  ],
  'autonomous.database.backup': [
    autonomousDatabaseBackupPermission,
    [D, D, A, A],
  ],
  'autonomous.database.restore': [
    autonomousDatabaseRestorePermission,
    [D, D, A, A],
  ],
  'autonomous.database.delete': [
    autonomousDatabaseDeletePermission,
    [D, D, A, A],
  ],
  // The console: its owners run statements (read-only or writing); only admins read every
  // user's statements (they may hold a secret someone typed).
  'autonomous.database.console.read': [
    autonomousDatabaseConsoleReadPermission,
    [D, D, A, A],
  ],
  'autonomous.database.console.write': [
    autonomousDatabaseConsoleWritePermission,
    [D, D, A, A],
  ],
  'autonomous.database.console.audit': [
    autonomousDatabaseConsoleAuditPermission,
    [D, D, D, A],
  ],
  'autonomous.notifications.send': [autonomousNotifyPermission, [D, D, D, A]],
  'a permission the policy does not know': [unknownDelete, [D, D, D, A]],
};

function byName(name: string): Permission {
  const permission = catalogPermissions.find(p => p.name === name);
  if (!permission) throw new Error(`the catalog defines no ${name}`);
  return permission;
}

describe('the portal policy matrix (on payments-api, owned by payments-team)', () => {
  const policy = new AutonomousPermissionPolicy({
    adminGroups: ['group:default/platform-team'],
  });

  it('covers every permission the installed catalog defines', () => {
    const covered = Object.values(matrix).map(([p]) => p.name);
    for (const permission of catalogPermissions) {
      expect(covered).toContain(permission.name);
    }
  });

  it('covers every permission the Autonomous routes check', () => {
    const covered = Object.values(matrix).map(([p]) => p.name);
    for (const permission of autonomousPermissions) {
      expect(covered).toContain(permission.name);
    }
  });

  describe.each(Object.entries(matrix))('%s', (_name, [permission, row]) => {
    it.each(
      (Object.keys(principals) as Principal[]).map((who, i) => [who, row[i]]),
    )('%s: %s', async (who, expected) => {
      const decision = await policy.handle(
        { permission } as any,
        principals[who as Principal],
      );
      expect(outcome(decision)).toBe(expected);
    });
  });

  it('lets only the user who started a template cancel its task', async () => {
    const taskCancel = createPermission({
      name: 'scaffolder.task.cancel',
      attributes: {},
      resourceType: 'scaffolder-task',
    });
    await expect(
      policy.handle({ permission: taskCancel }, principals.guest),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-task',
      conditions: {
        rule: 'IS_TASK_OWNER',
        resourceType: 'scaffolder-task',
        params: { createdBy: ['user:default/guest'] },
      },
    });
    await expect(policy.handle({ permission: taskCancel })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
