import { createStoreTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseProjectSettingsStore } from './ProjectSettingsStore';

jest.setTimeout(60_000);

const databases = createStoreTestDatabases();
const ENTITY = 'component:default/shop';

describe.each(databases.ids)('project settings store on %s', databaseId => {
  it('keeps variables and scaling per environment, a secret by its name only, each change with its event', async () => {
    const knex = await databases.migrated(databaseId);
    const store = new DatabaseProjectSettingsStore(knex);
    await store.save({
      entityRef: ENTITY,
      environment: 'production',
      variables: [
        { name: 'LOG_LEVEL', secret: false, value: 'debug' },
        // A caller that passes a secret's value by mistake still stores its name only.
        { name: 'API_KEY', secret: true, value: 'never-stored' },
      ],
      event: {
        action: 'settings.variables',
        message: 'first',
        actor: 'user:default/a',
      },
    });
    await store.save({
      entityRef: ENTITY,
      environment: 'production',
      scaling: {
        replicas: 2,
        autoscaling: { minReplicas: 2, maxReplicas: 5, targetCpuPercent: 75 },
      },
      event: {
        action: 'settings.scaling',
        message: 'second',
        actor: 'user:default/b',
      },
    });
    await store.recordEvent({
      entityRef: ENTITY,
      environment: 'staging',
      action: 'settings.auto-deploy',
      message: 'third',
      actor: 'user:default/c',
    });

    const settings = await store.get(ENTITY);
    expect(settings.get('production')).toEqual({
      variables: [
        { name: 'LOG_LEVEL', secret: false, value: 'debug' },
        { name: 'API_KEY', secret: true },
      ],
      scaling: {
        replicas: 2,
        autoscaling: { minReplicas: 2, maxReplicas: 5, targetCpuPercent: 75 },
      },
    });
    expect(settings.has('staging')).toBe(false);
    expect(JSON.stringify(await knex('environment_settings'))).not.toContain(
      'never-stored',
    );
    expect((await store.events(ENTITY)).map(e => e.message)).toEqual([
      'third',
      'second',
      'first',
    ]);
    expect(await store.events('component:default/other')).toEqual([]);
  });
});
