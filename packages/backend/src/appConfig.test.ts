import { readHttpServerOptions } from '@backstage/backend-defaults/rootHttpRouter';
import { loadRepoConfig } from './__testUtils__/loadRepoConfig';

const development = ['app-config.yaml', 'app-config.sandbox.yaml'];
const browserTests = [...development, 'app-config.e2e.yaml'];

describe("the repository's app-config files", () => {
  it('keep the development backend, which signs everyone in as the guest, on this machine', async () => {
    const config = await loadRepoConfig(development);
    expect(readHttpServerOptions(config.getConfig('backend')).listen).toEqual({
      host: '127.0.0.1',
      port: 7007,
    });
  });

  it('sign in the development portal as the guest only, never as an admin', async () => {
    const config = await loadRepoConfig(development);
    expect(config.getConfig('auth.providers').keys()).not.toContain(
      'platform-guest',
    );
    expect(config.getString('auth.providers.guest.userEntityRef')).toBe(
      'user:default/guest',
    );
  });

  it('keep the browser-test backend on this machine, on its own port', async () => {
    const config = await loadRepoConfig(browserTests);
    expect(readHttpServerOptions(config.getConfig('backend')).listen).toEqual({
      host: '127.0.0.1',
      port: 7100,
    });
    expect(config.getString('backend.baseUrl')).toBe('http://localhost:7100');
  });

  it.each([
    ['development', development],
    ['the browser tests', browserTests],
  ])(
    'in %s, let the notification token send notifications and nothing else',
    async (_name, files) => {
      const config = await loadRepoConfig(files);
      const tokens = config
        .getConfigArray('backend.auth.externalAccess')
        .filter(t => t.getOptionalString('options.token') !== undefined);
      expect(tokens).toHaveLength(1);
      expect(
        tokens[0].getConfigArray('accessRestrictions').map(r => r.get()),
      ).toEqual([
        { plugin: 'autonomous', permission: 'autonomous.notifications.send' },
      ]);
    },
  );

  it('do not hide the home page behind a widget that calls an outside API', async () => {
    const config = await loadRepoConfig(development);
    const homePage = config
      .getConfigArray('app.extensions')
      .find(e => e.has('page:home'));
    const widgets = homePage!
      .getConfigArray('page:home.config.defaultConfig')
      .map(w => w.getString('component'));
    expect(widgets).not.toContain('HomePageRandomJoke');
  });
});
