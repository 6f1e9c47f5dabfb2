import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aBackup,
  anInstance,
  mockDatabaseApi,
  renderDatabaseTab,
} from '../../__testUtils__/databases';

async function backupsRegion() {
  return screen.findByRole('region', { name: 'Backups' });
}

describe('the backups of a database', () => {
  it('lists each backup with its status, trigger, size, start and duration', async () => {
    await renderDatabaseTab(
      mockDatabaseApi({
        listBackups: jest.fn().mockResolvedValue({
          items: [
            aBackup({
              id: 'bk-2',
              status: 'running',
              sizeBytes: undefined,
              durationMs: undefined,
              trigger: 'scheduled',
            }),
            aBackup(),
          ],
          schedule: { retentionCount: 7 },
        }),
      }),
    );
    const table = within(await backupsRegion()).getByRole('table', {
      name: 'Backups',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows[0]).toHaveTextContent(
      'StatusTriggerSizeStartedDurationActions',
    );
    expect(rows[1]).toHaveTextContent(/running.*scheduled.*—/);
    expect(within(rows[1]).queryByRole('button')).toBeNull();
    expect(rows[2]).toHaveTextContent(/succeeded.*manual.*48 KB.*2026.*4s/);
    expect(
      within(rows[2]).getByRole('button', {
        name: 'Download backup of 2026-12-02 03:00 UTC',
      }),
    ).toBeInTheDocument();
  });

  it('takes a backup now and reads the list again', async () => {
    const api = mockDatabaseApi({
      createBackup: jest
        .fn()
        .mockResolvedValue(aBackup({ id: 'bk-9', status: 'pending' })),
    });
    await renderDatabaseTab(api);
    const region = await backupsRegion();
    api.listBackups.mockResolvedValue({
      items: [
        aBackup({ id: 'bk-9', status: 'pending', sizeBytes: undefined }),
        aBackup(),
      ],
      schedule: { retentionCount: 7 },
    });
    await userEvent.click(
      within(region).getByRole('button', { name: 'Backup now' }),
    );
    expect(api.createBackup).toHaveBeenCalledWith('db-1');
    expect(await within(region).findByText('pending')).toBeInTheDocument();
  });

  it('warns above the table when a scheduled backup did not run, or failed', async () => {
    const api = mockDatabaseApi({
      listBackups: jest.fn().mockResolvedValue({
        items: [aBackup()],
        schedule: {
          schedule: '0 2 * * *',
          retentionCount: 7,
          missed: {
            expectedAt: '2026-12-03T02:00:00.000Z',
            message: 'The CronJob did not start a Job',
          },
        },
      }),
    });
    await renderDatabaseTab(api);
    expect(
      await screen.findByRole('region', { name: 'Backup warning' }),
    ).toHaveTextContent(
      /A scheduled backup did not run\. It was due .*2026.*: The CronJob did not start a Job/,
    );
  });

  it('warns when the newest scheduled backup failed', async () => {
    await renderDatabaseTab(
      mockDatabaseApi({
        listBackups: jest.fn().mockResolvedValue({
          items: [
            aBackup({
              trigger: 'scheduled',
              status: 'failed',
              message: 'pg_dump: connection refused',
            }),
          ],
          schedule: { schedule: '0 2 * * *', retentionCount: 7 },
        }),
      }),
    );
    expect(
      await screen.findByRole('region', { name: 'Backup warning' }),
    ).toHaveTextContent(
      /The last scheduled backup failed\..*pg_dump: connection refused/,
    );
  });

  it('downloads a backup as the file the backend names', async () => {
    const blob = new Blob(['PGDMP']);
    const api = mockDatabaseApi({
      downloadBackup: jest
        .fn()
        .mockResolvedValue({ blob, filename: 'orders-db-bk-1.dump' }),
    });
    // Spies, restored below: `URL` is shared by every test file the worker runs.
    const createObjectURL = jest
      .spyOn(URL, 'createObjectURL')
      .mockReturnValue('blob:dump');
    const revokeObjectURL = jest
      .spyOn(URL, 'revokeObjectURL')
      .mockImplementation(() => {});
    const clicked: string[] = [];
    const anchorClick = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function click(this: HTMLAnchorElement) {
        clicked.push(`${this.download} ${this.href}`);
      });
    await renderDatabaseTab(api);
    await userEvent.click(
      within(await backupsRegion()).getByRole('button', {
        name: 'Download backup of 2026-12-02 03:00 UTC',
      }),
    );
    await waitFor(() =>
      expect(clicked).toEqual(['orders-db-bk-1.dump blob:dump']),
    );
    expect(api.downloadBackup).toHaveBeenCalledWith('db-1', 'bk-1');
    expect(createObjectURL).toHaveBeenCalledWith(blob);
    createObjectURL.mockRestore();
    revokeObjectURL.mockRestore();
    anchorClick.mockRestore();
  });

  it('restores into a new instance by default and then shows it', async () => {
    const restored = anInstance({
      id: 'db-2',
      name: 'orders-db-restored',
      status: 'accepted',
      connection: undefined,
    });
    const api = mockDatabaseApi({
      restoreBackup: jest.fn().mockResolvedValue({ instance: restored }),
    });
    await renderDatabaseTab(api);
    await userEvent.click(
      within(await backupsRegion()).getByRole('button', {
        name: 'Restore backup of 2026-12-02 03:00 UTC',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Restore the backup of 2026-12-02 03:00 UTC',
    });
    expect(within(dialog).getByLabelText(/^A new instance/)).toBeChecked();
    expect(
      within(dialog).getByLabelText('Name of the new instance'),
    ).toHaveValue('orders-db-restored');
    api.listDatabases.mockResolvedValue([restored, anInstance()]);
    await userEvent.click(
      within(dialog).getByRole('button', {
        name: 'Restore into a new instance',
      }),
    );
    expect(api.restoreBackup).toHaveBeenCalledWith('db-1', 'bk-1', {
      target: 'new',
      name: 'orders-db-restored',
    });
    expect(
      await screen.findByRole('heading', { name: 'orders-db-restored' }),
    ).toBeInTheDocument();
    // Both instances are listed; the original is one click away.
    expect(
      within(screen.getByRole('table', { name: 'Instances' })).getByRole(
        'button',
        { name: /^Show orders-db \(ready/ },
      ),
    ).toBeInTheDocument();
  });

  it('restores in place only after the instance name is typed', async () => {
    const api = mockDatabaseApi({
      restoreBackup: jest.fn().mockResolvedValue({ backup: aBackup() }),
    });
    await renderDatabaseTab(api);
    await userEvent.click(
      within(await backupsRegion()).getByRole('button', {
        name: 'Restore backup of 2026-12-02 03:00 UTC',
      }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByLabelText('orders-db itself, replacing its data'),
    );
    const confirm = within(dialog).getByLabelText('Instance name');
    await userEvent.type(confirm, 'orders');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore in place' }),
    );
    expect(api.restoreBackup).not.toHaveBeenCalled();
    expect(confirm).toHaveAttribute('aria-invalid', 'true');
    expect(confirm).toHaveAccessibleDescription('Type orders-db to confirm.');
    expect(confirm).toHaveFocus();

    await userEvent.type(confirm, '-db');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restore in place' }),
    );
    expect(api.restoreBackup).toHaveBeenCalledWith('db-1', 'bk-1', {
      target: 'in-place',
      confirm: 'orders-db',
    });
  });

  it('deletes a backup after asking', async () => {
    const api = mockDatabaseApi({
      deleteBackup: jest.fn().mockResolvedValue(undefined),
    });
    await renderDatabaseTab(api);
    await userEvent.click(
      within(await backupsRegion()).getByRole('button', {
        name: 'Delete backup of 2026-12-02 03:00 UTC',
      }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Delete the backup of 2026-12-02 03:00 UTC?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete backup' }),
    );
    expect(api.deleteBackup).toHaveBeenCalledWith('db-1', 'bk-1');
  });

  it('marks backup actions unavailable with the reason without the permission', async () => {
    await renderDatabaseTab(mockDatabaseApi(), {
      denied: ['autonomous.database.backup'],
    });
    const now = within(await backupsRegion()).getByRole('button', {
      name: 'Backup now',
    });
    await waitFor(() => expect(now).toHaveAttribute('aria-disabled', 'true'));
    expect(now).toHaveAccessibleDescription(
      /^Taking, downloading and deleting backups needs membership of team-a/,
    );
  });
});
