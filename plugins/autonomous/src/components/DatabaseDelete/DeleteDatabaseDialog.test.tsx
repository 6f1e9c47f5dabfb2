import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aBackup,
  anEvent,
  anInstance,
  mockDatabaseApi,
  renderDatabaseTab,
} from '../../__testUtils__/databases';

describe('deleting a database', () => {
  it('asks for the name typed out and keeps a final backup unless unticked', async () => {
    const api = mockDatabaseApi({
      deleteDatabase: jest
        .fn()
        .mockResolvedValue(anInstance({ status: 'deleting' })),
    });
    await renderDatabaseTab(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete database' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Delete orders-db?' });
    const keep = within(dialog).getByLabelText(/^Keep a final backup/);
    expect(keep).toBeChecked();
    const confirm = within(dialog).getByLabelText('Instance name');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete database' }),
    );
    expect(api.deleteDatabase).not.toHaveBeenCalled();
    expect(confirm).toHaveAttribute('aria-invalid', 'true');
    expect(confirm).toHaveAccessibleDescription('Type orders-db to confirm.');

    await userEvent.type(confirm, 'orders-db');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete database' }),
    );
    expect(api.deleteDatabase).toHaveBeenCalledWith('db-1', {
      confirm: 'orders-db',
      finalBackup: true,
    });
  });

  it('deletes without a final backup when the user unticks it', async () => {
    const api = mockDatabaseApi({
      deleteDatabase: jest
        .fn()
        .mockResolvedValue(anInstance({ status: 'deleting' })),
    });
    await renderDatabaseTab(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete database' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByLabelText(/^Keep a final backup/),
    );
    await userEvent.type(
      within(dialog).getByLabelText('Instance name'),
      'orders-db',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete database' }),
    );
    expect(api.deleteDatabase).toHaveBeenCalledWith('db-1', {
      confirm: 'orders-db',
      finalBackup: false,
    });
  });

  it('keeps a deleted instance listed with its backups, which can still be downloaded and restored', async () => {
    const deleted = anInstance({ status: 'deleted', connection: undefined });
    await renderDatabaseTab(
      mockDatabaseApi({
        listDatabases: jest.fn().mockResolvedValue([deleted]),
        listDatabaseEvents: jest
          .fn()
          .mockResolvedValue([
            anEvent('deleting', 'info', 'Deletion requested by jane', 10),
            anEvent(
              'final-backup',
              'succeeded',
              'Final backup taken (48 KB)',
              11,
            ),
            anEvent('deleted', 'succeeded', 'orders-db is deleted', 12),
          ]),
        listBackups: jest.fn().mockResolvedValue({
          items: [aBackup({ id: 'bk-final', trigger: 'final' })],
          schedule: { retentionCount: 7 },
        }),
      }),
    );
    // Nothing runs: the form to create one again, and the old instance below it.
    expect(
      await screen.findByRole('form', { name: 'Create the database' }),
    ).toBeInTheDocument();
    const instances = screen.getByRole('table', { name: 'Instances' });
    expect(instances).toHaveTextContent(/orders-db.*PostgreSQL 16.*deleted/);
    await userEvent.click(
      within(instances).getByRole('button', {
        name: /^Show orders-db \(deleted/,
      }),
    );

    const backups = await screen.findByRole('region', { name: 'Backups' });
    expect(backups).toHaveTextContent('final (before deletion)');
    expect(
      within(backups).getByRole('button', { name: /^Download backup of/ }),
    ).toBeInTheDocument();
    expect(
      within(backups).queryByRole('button', { name: 'Backup now' }),
    ).toBeNull();
    await userEvent.click(
      within(backups).getByRole('button', { name: /^Restore backup of/ }),
    );
    expect(
      screen.getByLabelText('orders-db itself, replacing its data'),
    ).toBeDisabled();
    expect(screen.getByLabelText(/^A new instance/)).toBeChecked();
  });
});
