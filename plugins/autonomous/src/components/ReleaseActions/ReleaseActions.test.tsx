import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aRelease,
  mockAutonomousApi,
  projectStatus,
} from '../../__testUtils__/releases';
import { renderTab } from '../../__testUtils__/renderTab';
import { releaseActionAvailability } from './releaseActionRules';

const image = 'harbor.example.com/shop/web@sha256:bbbb';
const running = aRelease({ id: 'rel-1', version: 'v1.0.0', imageRef: image });
const olderHealthy = aRelease({
  id: 'rel-0',
  version: 'v0.9.0',
  imageRef: image,
});
const building = aRelease({
  id: 'rel-2',
  version: 'v1.1.0',
  environment: 'staging',
  status: 'building',
  finishedAt: undefined,
  durationMs: undefined,
});
const failedBuild = aRelease({
  id: 'rel-3',
  version: 'v1.0.1',
  status: 'failed',
});

function row(version: string) {
  const cell = screen
    .getAllByText(version)
    .map(element => element.closest('tr'))
    .find(Boolean);
  return within(cell as HTMLElement);
}

describe('release row actions', () => {
  it('offers cancel in flight, rollback only to a healthy release not running, redeploy with an image', async () => {
    await renderTab(
      mockAutonomousApi({
        listReleases: jest.fn().mockResolvedValue({
          items: [building, failedBuild, running, olderHealthy],
        }),
      }),
    );
    await waitFor(() =>
      expect(
        row('v0.9.0').getByRole('button', { name: /Roll back/ }),
      ).toBeEnabled(),
    );

    expect(
      row('v1.1.0').getByRole('button', { name: 'Cancel #1 v1.1.0 (staging)' }),
    ).toBeEnabled();
    expect(
      row('v1.1.0').queryByRole('button', { name: /Redeploy|Roll back/ }),
    ).toBeNull();

    expect(
      row('v1.0.1')
        .queryAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['#1 v1.0.1']);

    // v1.0.0 is what production runs: going back to it would change nothing.
    expect(
      row('v1.0.0').getByRole('button', {
        name: 'Redeploy #1 v1.0.0 (production)',
      }),
    ).toBeEnabled();
    expect(
      row('v1.0.0').queryByRole('button', { name: /Roll back|Cancel/ }),
    ).toBeNull();

    expect(
      row('v0.9.0').getByRole('button', {
        name: 'Roll back to #1 v0.9.0 (production)',
      }),
    ).toBeEnabled();
    expect(
      row('v0.9.0').getByRole('button', {
        name: 'Redeploy #1 v0.9.0 (production)',
      }),
    ).toBeEnabled();
  });

  it('waits for the running release before offering rollback, and offers it when the status cannot be read', () => {
    expect(
      releaseActionAvailability(olderHealthy, { state: 'loading' }).rollback,
    ).toBe(false);
    expect(
      releaseActionAvailability(running, { state: 'unknown' }).rollback,
    ).toBe(true);
    expect(
      releaseActionAvailability(running, {
        state: 'known',
        ids: new Set(['rel-1']),
        byEnvironment: new Map([['production', running]]),
      }).rollback,
    ).toBe(false);
  });

  it('marks what the policy forbids as unavailable and says why in words a user can reach', async () => {
    await renderTab(
      mockAutonomousApi({
        listReleases: jest
          .fn()
          .mockResolvedValue({ items: [building, olderHealthy] }),
      }),
      { denied: ['autonomous.release.rollback'] },
    );

    // Permission answers are cached across renders and revalidated: wait for the denial.
    await waitFor(() =>
      expect(
        row('v0.9.0').getByRole('button', {
          name: 'Roll back to #1 v0.9.0 (production)',
        }),
      ).toHaveAttribute('aria-disabled', 'true'),
    );
    const rollback = row('v0.9.0').getByRole('button', { name: /Roll back/ });
    expect(rollback).toHaveAccessibleDescription(
      'Rolling back needs membership of team-a, who own this project. Ask them or a portal admin for access.',
    );
    rollback.focus();
    expect(rollback).toHaveFocus();
    expect(
      row('v0.9.0').getByRole('button', { name: /Redeploy/ }),
    ).toBeEnabled();
    expect(row('v1.1.0').getByRole('button', { name: /Cancel/ })).toBeEnabled();
  });

  it('offers no roll back to a release whose image runs now, nor to one the history shows replaced what the cluster reports', async () => {
    const rolledBackTo = aRelease({
      id: 'rel-5',
      version: 'v0.8.0',
      imageRef: 'harbor.example.com/shop/web@sha256:aaaa',
      createdAt: '2024-12-01T10:00:00.000Z',
    });
    const rollback = aRelease({
      id: 'rel-6',
      version: 'v0.8.0',
      trigger: 'rollback',
      sourceReleaseId: 'rel-5',
      imageRef: rolledBackTo.imageRef,
      createdAt: '2025-01-03T10:00:00.000Z',
    });
    await renderTab(
      mockAutonomousApi({
        listReleases: jest
          .fn()
          .mockResolvedValue({ items: [rollback, running, rolledBackTo] }),
        getProjectStatus: jest.fn().mockResolvedValue({
          ...projectStatus,
          environments: [
            projectStatus.environments[0],
            // The cluster was read before the rollback finished: it still reports v1.0.0.
            { ...projectStatus.environments[1], runningRelease: running },
          ],
        }),
      }),
    );

    expect(
      await screen.findByRole('button', {
        name: 'Roll back to #1 v1.0.0 (production)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', {
        name: 'Roll back to #1 v0.8.0 (production)',
      }),
    ).toBeNull();
  });

  it('asks before rolling back and sends the reason given', async () => {
    const api = mockAutonomousApi({
      listReleases: jest
        .fn()
        .mockResolvedValue({ items: [running, olderHealthy] }),
      getProjectStatus: jest.fn().mockResolvedValue(projectStatus),
      rollbackRelease: jest.fn().mockResolvedValue(
        aRelease({
          id: 'rel-5',
          version: 'v1.0.2',
          trigger: 'rollback',
          status: 'queued',
        }),
      ),
      getRelease: jest.fn().mockResolvedValue({ ...olderHealthy, events: [] }),
    });
    await renderTab(api);

    const button = await waitFor(() => {
      const found = row('v0.9.0').getByRole('button', { name: /Roll back/ });
      expect(found).toBeEnabled();
      return found;
    });
    await userEvent.click(button);
    let dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByText('Roll back production to #1 v0.9.0?'),
    ).toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Keep as is' }));
    expect(api.rollbackRelease).not.toHaveBeenCalled();

    await userEvent.click(button);
    dialog = within(await screen.findByRole('dialog'));
    await userEvent.type(dialog.getByLabelText('Reason'), 'checkout errors');
    await userEvent.click(dialog.getByRole('button', { name: 'Roll back' }));

    await waitFor(() =>
      expect(api.rollbackRelease).toHaveBeenCalledWith('rel-0', {
        reason: 'checkout errors',
      }),
    );
    expect(api.getRelease).toHaveBeenCalledWith('rel-5');
  });

  it('cancels an in-flight release after confirmation and reads the history again', async () => {
    const api = mockAutonomousApi({
      listReleases: jest.fn().mockResolvedValue({ items: [building] }),
      cancelRelease: jest
        .fn()
        .mockResolvedValue({ ...building, status: 'cancelled' }),
    });
    await renderTab(api);

    const cancel = await screen.findByRole('button', {
      name: 'Cancel #1 v1.1.0 (staging)',
    });
    await waitFor(() => expect(cancel).toBeEnabled());
    await userEvent.click(cancel);
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByText(/stops where it is \(building\)/),
    ).toBeInTheDocument();
    await userEvent.click(
      dialog.getByRole('button', { name: 'Cancel release' }),
    );

    await waitFor(() =>
      expect(api.cancelRelease).toHaveBeenCalledWith('rel-2', {
        reason: undefined,
      }),
    );
    await waitFor(() => expect(api.listReleases).toHaveBeenCalledTimes(2));
  });
});
