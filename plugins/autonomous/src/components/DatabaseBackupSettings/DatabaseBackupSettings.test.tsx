import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aBackup,
  mockDatabaseApi,
  renderDatabaseTab,
} from '../../__testUtils__/databases';
import { aResponseError } from '../../__testUtils__/releases';

async function settingsForm() {
  return screen.findByRole('form', { name: 'Backup settings' });
}

describe('the backup settings', () => {
  it('reads the schedule back in plain words and saves it with the retention', async () => {
    const api = mockDatabaseApi({
      listBackups: jest.fn().mockResolvedValue({
        items: [aBackup()],
        schedule: {
          schedule: '0 2 * * *',
          retentionCount: 7,
          nextScheduledAt: '2026-12-07T02:00:00.000Z',
        },
      }),
      updateBackupSettings: jest
        .fn()
        .mockResolvedValue({ schedule: '30 3 * * 0', retentionCount: 4 }),
    });
    await renderDatabaseTab(api);
    const form = await settingsForm();
    const schedule = within(form).getByLabelText('Schedule (cron)');
    expect(schedule).toHaveValue('0 2 * * *');
    expect(schedule).toHaveAccessibleDescription('Every day at 02:00 UTC');
    expect(form).toHaveTextContent(/Next run .*2026/);

    await userEvent.clear(schedule);
    await userEvent.type(schedule, '30 3 * * 0');
    expect(schedule).toHaveAccessibleDescription('Every Sunday at 03:30 UTC');
    const retention = within(form).getByLabelText('Backups to keep');
    await userEvent.clear(retention);
    await userEvent.type(retention, '4');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save settings' }),
    );
    expect(api.updateBackupSettings).toHaveBeenCalledWith('db-1', {
      schedule: '30 3 * * 0',
      retentionCount: 4,
    });
    expect(
      await within(form).findByText('Backup settings saved.'),
    ).toBeInTheDocument();
  });

  it("shows the server's refusal on the field it names", async () => {
    const api = mockDatabaseApi({
      updateBackupSettings: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            400,
            'invalid body: schedule: not a five-field cron expression',
            'InputError',
          ),
        ),
    });
    await renderDatabaseTab(api);
    const form = await settingsForm();
    const schedule = within(form).getByLabelText('Schedule (cron)');
    await userEvent.type(schedule, 'every night');
    expect(schedule).toHaveAccessibleDescription('A custom schedule');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save settings' }),
    );
    expect(
      await within(form).findByText('Not a five-field cron expression'),
    ).toBeInTheDocument();
    expect(schedule).toHaveAttribute('aria-invalid', 'true');
    expect(schedule).toHaveAccessibleDescription(
      'Not a five-field cron expression',
    );
    expect(schedule).toHaveFocus();
  });

  it('refuses a retention outside 1 to 1000 before sending', async () => {
    const api = mockDatabaseApi();
    await renderDatabaseTab(api);
    const form = await settingsForm();
    const retention = within(form).getByLabelText('Backups to keep');
    await userEvent.clear(retention);
    await userEvent.type(retention, '0');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save settings' }),
    );
    expect(retention).toHaveAccessibleDescription(
      'Keep from 1 to 1000 backups.',
    );
    expect(api.updateBackupSettings).not.toHaveBeenCalled();
  });
});
