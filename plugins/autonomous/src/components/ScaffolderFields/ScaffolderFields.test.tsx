import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { AutonomousClient, autonomousApiRef } from '../../api';
import { DatabaseEnginePicker } from './DatabaseEnginePicker';
import { EnvironmentPicker, validateEnvironments } from './EnvironmentPicker';
import { UpstreamInstancePicker } from './UpstreamInstancePicker';

const BASE = 'http://localhost:7007/api/autonomous';

/** The backend's answers by path; every read is recorded. */
function backend(answers: Record<string, unknown>) {
  const reads: string[] = [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL) => {
      const path = String(input).slice(BASE.length);
      reads.push(path);
      const body = answers[path];
      return body === undefined
        ? new Response(
            JSON.stringify({ error: { name: 'NotFoundError', message: 'no' } }),
            {
              status: 404,
              headers: { 'Content-Type': 'application/json' },
            },
          )
        : new Response(JSON.stringify(body), {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          });
    },
  };
  return { fetchApi, reads };
}

function render(ui: JSX.Element, answers: Record<string, unknown>) {
  const { fetchApi, reads } = backend(answers);
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://localhost:7007' });
  const result = renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [autonomousApiRef, new AutonomousClient({ discoveryApi, fetchApi })],
      ]}
    >
      {ui}
    </TestApiProvider>,
  );
  return { result, reads };
}

const base = (overrides: object) =>
  ({
    schema: {},
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    rawErrors: [],
    required: false,
    onChange: jest.fn(),
    ...overrides,
  } as any);

describe('UpstreamInstancePicker', () => {
  it("lists the system's instances by name, the default first, and stores the name chosen", async () => {
    const onChange = jest.fn();
    const { reads } = render(
      <UpstreamInstancePicker
        {...base({
          onChange,
          schema: { title: 'Jenkins' },
          uiSchema: { 'ui:options': { system: 'jenkins' } },
        })}
      />,
      {
        '/upstream-instances?entityRef=component%3Adefault%2Fnew-project&system=jenkins':
          {
            items: [
              { system: 'jenkins', name: 'ci', default: true },
              { system: 'jenkins', name: 'ci-eu', default: false },
            ],
          },
      },
    );
    await waitFor(() =>
      expect(reads).toEqual([
        '/upstream-instances?entityRef=component%3Adefault%2Fnew-project&system=jenkins',
      ]),
    );
    fireEvent.mouseDown(await screen.findByText('Default (ci)'));
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(o => o.textContent)).toEqual([
      'Default (ci)',
      'ci',
      'ci-eu',
    ]);
    fireEvent.click(options[2]);
    expect(onChange).toHaveBeenCalledWith('ci-eu');
  });

  it('says when no instance of the system is configured', async () => {
    render(
      <UpstreamInstancePicker
        {...base({ uiSchema: { 'ui:options': { system: 'vault' } } })}
      />,
      {
        '/upstream-instances?entityRef=component%3Adefault%2Fnew-project&system=vault':
          { items: [] },
      },
    );
    expect(
      await screen.findByText('No vault instance is configured in the portal'),
    ).toBeInTheDocument();
  });
});

describe('EnvironmentPicker', () => {
  it('turns the comma-separated list into environment names, in order', async () => {
    const onChange = jest.fn();
    render(
      <EnvironmentPicker
        {...base({
          onChange,
          schema: { title: 'Environments' },
          formData: ['staging'],
        })}
      />,
      {},
    );
    const input = await screen.findByLabelText('Environments');
    expect(input).toHaveValue('staging');
    fireEvent.change(input, { target: { value: 'dev, staging , production' } });
    expect(onChange).toHaveBeenLastCalledWith(['dev', 'staging', 'production']);
    fireEvent.change(input, { target: { value: 'Staging' } });
    expect(
      await screen.findByText(/Not an environment name .*: Staging/),
    ).toBeInTheDocument();
  });

  it("offers only an existing project's environments, read from the backend", async () => {
    render(
      <EnvironmentPicker
        {...base({
          schema: { title: 'Environments' },
          uiSchema: { 'ui:options': { entityRef: 'component:default/shop' } },
          formData: ['qa'],
        })}
      />,
      {
        '/projects/component/default/shop': {
          environments: [{ name: 'staging' }, { name: 'production' }],
        },
      },
    );
    expect(
      await screen.findByText('Not an environment of the project: qa'),
    ).toBeInTheDocument();
  });

  it('refuses bad names and duplicates in the wizard', () => {
    const addError = jest.fn();
    validateEnvironments(['prod', 'Prod', 'prod'], { addError });
    expect(addError.mock.calls.map(c => c[0])).toEqual([
      'Prod: environment names are lower case letters, digits and dashes',
      'an environment is listed twice',
    ]);
  });
});

describe('DatabaseEnginePicker', () => {
  const engines = {
    defaultEngine: 'mysql',
    items: [
      {
        engine: 'postgresql',
        title: 'PostgreSQL',
        versions: ['15', '16'],
        defaultVersion: '16',
        defaultStorageGi: 10,
        modes: [
          { mode: 'single', available: true },
          {
            mode: 'cluster',
            available: false,
            reason: 'only single-instance databases can be provisioned',
          },
        ],
      },
      {
        engine: 'mysql',
        title: 'MySQL',
        versions: ['8.0', '8.4'],
        defaultVersion: '8.4',
        defaultStorageGi: 10,
        modes: [
          { mode: 'single', available: true },
          {
            mode: 'cluster',
            available: false,
            reason: 'only single-instance databases can be provisioned',
          },
        ],
      },
    ],
  };

  it("starts from the entity's engine and its defaults, and shows cluster mode as unavailable", async () => {
    const onChange = jest.fn();
    const { reads } = render(
      <DatabaseEnginePicker
        {...base({
          onChange,
          uiSchema: {
            'ui:options': { entityRef: 'resource:default/orders-db' },
          },
        })}
      />,
      { '/database-engines?entityRef=resource%3Adefault%2Forders-db': engines },
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenCalledWith({
        engine: 'mysql',
        version: '8.4',
        mode: 'single',
      }),
    );
    expect(reads).toContain(
      '/database-engines?entityRef=resource%3Adefault%2Forders-db',
    );
    const cluster = await screen.findByLabelText(
      'Cluster (unavailable: only single-instance databases can be provisioned)',
    );
    expect(cluster).toBeDisabled();
    expect(screen.getByLabelText('Single instance')).not.toBeDisabled();
  });

  it("switching the engine takes that engine's default version", async () => {
    const onChange = jest.fn();
    render(
      <DatabaseEnginePicker
        {...base({
          onChange,
          formData: { engine: 'mysql', version: '8.4', mode: 'single' },
        })}
      />,
      {
        '/database-engines?entityRef=resource%3Adefault%2Fnew-database':
          engines,
      },
    );
    fireEvent.mouseDown(await screen.findByText('MySQL'));
    fireEvent.click(
      within(await screen.findByRole('listbox')).getByText('PostgreSQL'),
    );
    expect(onChange).toHaveBeenLastCalledWith({
      engine: 'postgresql',
      version: '16',
      mode: 'single',
    });
  });
});
