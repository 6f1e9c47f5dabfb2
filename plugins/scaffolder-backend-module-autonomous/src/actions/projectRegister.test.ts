import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { CheckpointStore, actionContext } from '../__testUtils__/actionContext';
import { portalClient, servePortal } from '../__testUtils__/servePortal';
import { createProjectRegisterAction } from './projectRegister';
import { examples } from './projectRegister.examples';

const SHOP = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
  annotations:
    autonomous.dev/project: monolith
    autonomous.dev/environments: staging,production
spec:
  type: service
  lifecycle: experimental
  owner: group:default/shop-team
`;

const CONTENTS = 'https://github.com/acme/shop/blob/main';
// The GitHub integration resolves a file against the contents URL as a tree URL, as
// catalog:register does; the catalog's GitHub reader reads either form.
const FILE_URL = 'https://github.com/acme/shop/tree/main/catalog-info.yaml';
const PR_FILE_URL = 'https://github.com/acme/shop/blob/main/catalog-info.yaml';

describe('autonomous:project:register', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const workspace = createMockDirectory();
  let portal: ReturnType<typeof servePortal>;
  /** The catalog's locations; a second registration of one is a conflict, as in the catalog. */
  let locations: Array<{ target: string; by: string }>;
  let catalog: any;
  beforeEach(() => {
    portal = servePortal(server);
    workspace.setContent({ 'catalog-info.yaml': SHOP });
    locations = [];
    catalog = {
      addLocation: jest.fn(async (location: any, { credentials }: any) => {
        if (locations.some(l => l.target === location.target)) {
          throw new ConflictError(`Location ${location.target} already exists`);
        }
        locations.push({
          target: location.target,
          by: credentials.principal.subject,
        });
        // The catalog processes it a moment later.
        portal.addProject('component:default/shop');
        portal.state.projectMissingReads = 2;
        return { location: { id: '1', ...location }, entities: [] };
      }),
    };
  });
  afterEach(() => portal.assertNoProblems());

  const action = (
    ownershipEntityRefs = ['user:default/mock', 'group:default/shop-team'],
  ) =>
    createProjectRegisterAction({
      catalog,
      auth: mockServices.auth(),
      userInfo: mockServices.userInfo({ ownershipEntityRefs }),
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      portal: portalClient(),
      pollIntervalMs: 1,
    });
  const context = (
    input: object,
    options: { dryRun?: boolean; store?: CheckpointStore } = {},
  ) => actionContext(input, { ...options, workspacePath: workspace.path });
  const rendered = { ...examples[0].input, repoContentsUrl: CONTENTS };

  it('runs the example: registers the published file with the scaffolder credentials and waits for the project', async () => {
    const ctx = context(rendered);
    await action().handler(ctx);
    expect(locations).toEqual([{ target: FILE_URL, by: 'plugin:test' }]);
    // Asked as the user until the catalog had processed the file.
    expect(portal.requests).toEqual([
      'GET /projects/component/default/shop',
      'GET /projects/component/default/shop',
      'GET /projects/component/default/shop',
    ]);
    for (const token of portal.tokens)
      expect(token).toContain('user:default/mock');
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/shop',
    );
    expect(ctx.output).toHaveBeenCalledWith('catalogInfoUrl', FILE_URL);
    expect(ctx.output).toHaveBeenCalledWith('environments', [
      'staging',
      'production',
    ]);
    expect(examples[0].example).toContain(
      'action: autonomous:project:register',
    );
  });

  it('runs the example: registers a file still in a pull request without waiting', async () => {
    const ctx = context(examples[1].input);
    await action().handler(ctx);
    expect(locations).toEqual([{ target: PR_FILE_URL, by: 'plugin:test' }]);
    expect(portal.requests).toEqual([]);
  });

  it('registers once when re-run, and the second run goes on to the project', async () => {
    const crashing = new CheckpointStore({
      crashAfter: `catalog.location.${FILE_URL}`,
    });
    await expect(
      action().handler(context(rendered, { store: crashing })),
    ).rejects.toThrow('crash after');
    const ctx = context(rendered);
    await action().handler(ctx);
    expect(locations).toHaveLength(1);
    expect(ctx.logged.join('\n')).toContain('is already registered');
    expect(ctx.output).toHaveBeenCalledWith('environments', [
      'staging',
      'production',
    ]);
  });

  it('touches nothing in a dry run and says what it would register', async () => {
    const ctx = context(rendered, { dryRun: true });
    await action().handler(ctx);
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(portal.requests).toEqual([]);
    expect(ctx.logged.join('\n')).toContain(
      `Dry run: would register ${FILE_URL} in the catalog (component:default/shop) and wait for the project component:default/shop`,
    );
  });

  it('refuses a file that brings what the user does not own', async () => {
    await expect(
      action(['user:default/mock', 'group:default/payments-team']).handler(
        context(rendered),
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'component:default/shop is owned by group:default/shop-team',
      ),
    });
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it.each([
    [
      `${SHOP}---\napiVersion: backstage.io/v1alpha1\nkind: Template\nmetadata:\n  name: evil\nspec:\n  owner: group:default/shop-team\n`,
      'describes a Template (evil)',
    ],
    [
      `${SHOP}---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: admins\n`,
      'describes a Group (admins)',
    ],
    [
      SHOP.replace(
        'autonomous.dev/project: monolith',
        'autonomous.dev/project: lambda',
      ),
      'use monolith or microservice',
    ],
    [
      SHOP.replace('staging,production', 'Staging'),
      'environment names are lower case',
    ],
    [
      SHOP.replace(/ {2}annotations:\n.*\n.*\n/, ''),
      'describes no Autonomous project or database',
    ],
    [
      'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: db\nspec:\n  type: database\n  owner: group:default/shop-team\n',
      'has autonomous.dev/database-engine: ""; use one of postgresql',
    ],
    ['kind: [', 'is not valid YAML'],
  ])(
    'refuses a catalog-info.yaml that is not a project of the user (%#)',
    async (content, message) => {
      workspace.setContent({ 'catalog-info.yaml': content });
      await expect(action().handler(context(rendered))).rejects.toMatchObject({
        message: expect.stringContaining(message),
      });
      expect(catalog.addLocation).not.toHaveBeenCalled();
    },
  );

  it.each([
    [{}, 'give repoContentsUrl or catalogInfoUrl'],
    [
      { repoContentsUrl: 'https://nowhere.example/x' },
      'no integration is configured',
    ],
    [{ catalogInfoUrl: 'file:///etc/passwd' }, 'is not an http(s) URL'],
    [
      { ...rendered, entityRef: 'component:default/other' },
      'does not describe the project or database component:default/other',
    ],
  ])('rejects bad input %j', async (input, message) => {
    await expect(action().handler(context(input))).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('registers a database Resource and waits until the backend reads its engine from the catalog', async () => {
    workspace.setContent({
      'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
  annotations:
    autonomous.dev/database-engine: postgresql
spec:
  type: database
  owner: group:default/shop-team
`,
    });
    catalog.addLocation.mockImplementation(async (location: any) => {
      locations.push({ target: location.target, by: 'plugin:test' });
      setTimeout(
        () => portal.resources.set('resource:default/orders-db', 'postgresql'),
        20,
      );
      return { location: { id: '1', ...location }, entities: [] };
    });
    const ctx = context(rendered);
    await action().handler(ctx);
    expect(locations).toHaveLength(1);
    expect(portal.requests.length).toBeGreaterThan(1);
    expect(new Set(portal.requests)).toEqual(
      new Set([
        'GET /database-engines?entityRef=resource%3Adefault%2Forders-db',
      ]),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'resource:default/orders-db',
    );
    expect(ctx.logged.join('\n')).toContain(
      'Database resource:default/orders-db (postgresql) is in the catalog',
    );
  });

  it('reads the file from the published folder of the workspace', async () => {
    workspace.setContent({ repo: { 'catalog-info.yaml': SHOP } });
    await action().handler(context({ ...rendered, sourcePath: './repo' }));
    expect(locations).toHaveLength(1);
    await expect(
      action().handler(context({ ...rendered, sourcePath: '../outside' })),
    ).rejects.toThrow(/outside/i);
  });

  it('trusts a task started by a backend service', async () => {
    const ctx = context(rendered);
    ctx.getInitiatorCredentials = async () =>
      mockCredentials.service('plugin:ci') as any;
    await action([]).handler(ctx);
    expect(locations).toHaveLength(1);
  });
});
