import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  anEvent,
  anInstance,
  DATABASE_REF,
  databaseEntity,
  engines,
  mockDatabaseApi,
  renderDatabaseTab,
} from '../../__testUtils__/databases';
import { fakeSignals } from '../../__testUtils__/renderTab';

describe('the Database tab', () => {
  it('says it is for database resources on any other entity', async () => {
    await renderDatabaseTab(mockDatabaseApi(), {
      entity: {
        ...databaseEntity,
        kind: 'Component',
        spec: { type: 'service' },
      },
    });
    expect(screen.getByText('Not a database')).toBeInTheDocument();
  });

  it('offers the provision form when nothing runs, with the annotated engine and cluster mode unavailable', async () => {
    const api = mockDatabaseApi({
      listDatabases: jest.fn().mockResolvedValue([]),
      listDatabaseEngines: jest
        .fn()
        .mockResolvedValue({ ...engines, defaultEngine: 'mysql' }),
    });
    await renderDatabaseTab(api);

    const form = await screen.findByRole('form', {
      name: 'Create the database',
    });
    expect(within(form).getByLabelText('Engine')).toHaveDisplayValue('MySQL');
    expect(within(form).getByLabelText('Version')).toHaveDisplayValue('8.4');
    expect(within(form).getByLabelText('Storage (GiB)')).toHaveValue(20);
    expect(within(form).getByLabelText('Instance name')).toHaveValue(
      'orders-db',
    );
    expect(within(form).getByLabelText('Single instance')).toBeChecked();
    const cluster = within(form).getByLabelText('Cluster (unavailable)');
    expect(cluster).toBeDisabled();
    expect(cluster).toHaveAccessibleDescription(
      /only single-instance databases/,
    );

    // Another engine brings its own versions and size.
    await userEvent.selectOptions(
      within(form).getByLabelText('Engine'),
      'PostgreSQL',
    );
    expect(within(form).getByLabelText('Version')).toHaveDisplayValue('16');
    expect(within(form).getByLabelText('Storage (GiB)')).toHaveValue(10);
  });

  it('provisions on submit and shows the steps as they come, announcing each', async () => {
    const signals = fakeSignals();
    const accepted = anInstance({ status: 'accepted', connection: undefined });
    const api = mockDatabaseApi({
      listDatabases: jest.fn().mockResolvedValue([]),
      provisionDatabase: jest.fn().mockResolvedValue(accepted),
      listDatabaseEvents: jest
        .fn()
        .mockResolvedValue([
          anEvent('accepted', 'info', 'Provisioning requested by jane', 0),
        ]),
    });
    await renderDatabaseTab(api, { signals: signals.api });

    const form = await screen.findByRole('form', {
      name: 'Create the database',
    });
    const storage = within(form).getByLabelText('Storage (GiB)');
    await userEvent.clear(storage);
    await userEvent.type(storage, '25');
    api.listDatabases.mockResolvedValue([accepted]);
    await userEvent.click(
      within(form).getByRole('button', { name: 'Create database' }),
    );

    expect(api.provisionDatabase).toHaveBeenCalledWith({
      entityRef: DATABASE_REF,
      engine: 'postgresql',
      version: '16',
      storageGi: 25,
      mode: 'single',
      name: 'orders-db',
    });
    const steps = await screen.findByRole('list', {
      name: 'Steps of orders-db',
    });
    expect(
      within(steps).getByText('Provisioning requested by jane'),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'orders-db' })).toBeVisible();

    // The backend signals a step: the page reads again and says it.
    api.listDatabases.mockResolvedValue([{ ...accepted, status: 'preparing' }]);
    api.listDatabaseEvents.mockResolvedValue([
      anEvent('accepted', 'info', 'Provisioning requested by jane', 0),
      anEvent('namespace', 'succeeded', 'Namespace db-orders-db is ready', 1),
    ]);
    await waitFor(() =>
      expect(
        signals.subscriberCount(`autonomous:databases:${DATABASE_REF}`),
      ).toBe(1),
    );
    act(() =>
      signals.emit(`autonomous:databases:${DATABASE_REF}`, {
        type: 'database',
        databaseId: 'db-1',
      }),
    );
    expect(
      await within(steps).findByText('Namespace db-orders-db is ready'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('status', { name: '' })).toHaveTextContent(
        'orders-db: Namespace db-orders-db is ready',
      ),
    );
  });

  it('says which step failed and why', async () => {
    await renderDatabaseTab(
      mockDatabaseApi({
        listDatabases: jest.fn().mockResolvedValue([
          anInstance({
            status: 'failed',
            connection: undefined,
            statusMessage: 'The StatefulSet never became ready',
          }),
        ]),
        listDatabaseEvents: jest
          .fn()
          .mockResolvedValue([
            anEvent('accepted', 'info', 'Provisioning requested by jane', 0),
            anEvent('readiness', 'started', 'Waiting for the StatefulSet', 1),
            anEvent(
              'readiness',
              'failed',
              'The StatefulSet never became ready within 10 minutes',
              11,
            ),
          ]),
      }),
    );
    expect(
      await screen.findByText(
        '“Readiness”: The StatefulSet never became ready within 10 minutes',
        { exact: false },
      ),
    ).toHaveTextContent(/^Failed at “Readiness”/);
    // Nothing runs: the form to try again is there.
    expect(
      screen.getByRole('form', { name: 'Create the database' }),
    ).toBeInTheDocument();
  });

  it('shows how to connect, with copy buttons, once ready', async () => {
    const user = userEvent.setup();
    const writeText = jest.spyOn(navigator.clipboard, 'writeText');
    await renderDatabaseTab(mockDatabaseApi());
    const connection = await screen.findByRole('region', {
      name: 'Connection',
    });
    expect(within(connection).getByText('10.0.0.7')).toBeInTheDocument();
    expect(within(connection).getByText('5432')).toBeInTheDocument();
    expect(within(connection).getByText('orders_db')).toBeInTheDocument();
    expect(
      within(connection).getByText('orders_db_readonly'),
    ).toBeInTheDocument();

    await user.click(
      within(connection).getByRole('button', { name: 'Copy host' }),
    );
    expect(writeText).toHaveBeenCalledWith('10.0.0.7');
    expect(
      within(connection).getByRole('button', { name: 'Copied host' }),
    ).toBeInTheDocument();
  });

  it('reveals a password masked until shown, and forgets it on close', async () => {
    const user = userEvent.setup();
    const writeText = jest.spyOn(navigator.clipboard, 'writeText');
    const api = mockDatabaseApi({
      getDatabaseCredentials: jest.fn().mockResolvedValue({
        username: 'orders_db_readonly',
        password: 's3cret-value',
      }),
    });
    await renderDatabaseTab(api);
    await user.click(
      await screen.findByRole('button', {
        name: 'Reveal password of the read-only user',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Credentials of the read-only user',
    });
    expect(api.getDatabaseCredentials).toHaveBeenCalledWith('db-1', 'readonly');
    const password = await within(dialog).findByLabelText('Password');
    expect(password).toHaveAttribute('type', 'password');
    expect(password).toHaveValue('s3cret-value');
    await user.click(
      within(dialog).getByRole('button', { name: 'Show password' }),
    );
    expect(password).toHaveAttribute('type', 'text');
    await user.click(
      within(dialog).getByRole('button', { name: 'Copy password' }),
    );
    expect(writeText).toHaveBeenCalledWith('s3cret-value');

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.body.innerHTML).not.toContain('s3cret-value');
  });

  it('marks Reveal unavailable, with the reason in words, without the credentials permission', async () => {
    const api = mockDatabaseApi();
    await renderDatabaseTab(api, {
      denied: ['autonomous.database.credentials.read'],
    });
    const reveal = await screen.findByRole('button', {
      name: 'Reveal password of the owner user',
    });
    await waitFor(() =>
      expect(reveal).toHaveAttribute('aria-disabled', 'true'),
    );
    expect(reveal).toHaveAccessibleDescription(
      'Seeing the passwords needs membership of team-a, who own this database. Ask them or a portal admin for access.',
    );
    await userEvent.click(reveal);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.getDatabaseCredentials).not.toHaveBeenCalled();
  });
});
