import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aRelease,
  aResponseError,
  mockAutonomousApi,
} from '../../__testUtils__/releases';
import { renderTab } from '../../__testUtils__/renderTab';
import { sourceOf } from './DeployDialog';

const started = aRelease({
  id: 'rel-9',
  version: 'v1.1.0',
  environment: 'staging',
  status: 'queued',
  finishedAt: undefined,
  durationMs: undefined,
});

async function openDeployTo(environment: string) {
  await userEvent.click(
    await screen.findByRole('button', { name: `Deploy to ${environment}` }),
  );
  return screen.findByRole('dialog', { name: 'Deploy' });
}

describe('DeployDialog', () => {
  it('reads hexadecimal as a commit and anything else as a ref', () => {
    expect(sourceOf(' 3f2a9c1 ')).toEqual({ commitSha: '3f2a9c1' });
    expect(sourceOf('release/2.0')).toEqual({ ref: 'release/2.0' });
    expect(sourceOf('')).toEqual({});
  });

  it('offers to queue or supersede on a 409, and resends the same request with the choice', async () => {
    const conflict = await aResponseError(
      409,
      'Release v1.0.9 is still building for staging',
      'ConflictError',
    );
    const api = mockAutonomousApi({
      createRelease: jest
        .fn()
        .mockRejectedValueOnce(conflict)
        .mockResolvedValue(started),
      getRelease: jest.fn().mockResolvedValue({ ...started, events: [] }),
    });
    await renderTab(api);

    const dialog = within(await openDeployTo('staging'));
    expect(dialog.getByLabelText('Environment')).toHaveValue('staging');
    await userEvent.type(
      dialog.getByLabelText('Branch, tag or commit'),
      'main',
    );
    await userEvent.type(dialog.getByLabelText('Reason'), 'ship the fix');
    await userEvent.click(dialog.getByRole('button', { name: 'Deploy' }));

    expect(
      await dialog.findByText('Release v1.0.9 is still building for staging'),
    ).toBeInTheDocument();
    expect(dialog.queryByRole('button', { name: 'Deploy' })).toBeNull();
    expect(
      dialog.getByRole('button', { name: 'Queue after it' }),
    ).toBeInTheDocument();

    await userEvent.click(
      dialog.getByRole('button', { name: 'Cancel it and deploy' }),
    );

    const request = {
      environment: 'staging',
      ref: 'main',
      reason: 'ship the fix',
      trigger: 'manual',
    };
    expect(api.createRelease.mock.calls).toEqual([
      ['component:default/shop', { ...request, onConflict: undefined }],
      ['component:default/shop', { ...request, onConflict: 'supersede' }],
    ]);
    // The new release opens beside the history.
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: 'Deploy' })).toBeNull(),
    );
    expect(api.getRelease).toHaveBeenCalledWith('rel-9');
    expect(
      await screen.findByRole('heading', {
        name: 'Release #1 v1.1.0 to staging',
      }),
    ).toBeInTheDocument();
  });

  it('queues after the release in flight when asked to', async () => {
    const api = mockAutonomousApi({
      createRelease: jest
        .fn()
        .mockRejectedValueOnce(
          await aResponseError(409, 'v1.0.9 is syncing to production'),
        )
        .mockResolvedValue(started),
      getRelease: jest.fn().mockResolvedValue({ ...started, events: [] }),
    });
    await renderTab(api);

    const dialog = within(await openDeployTo('production'));
    await userEvent.type(
      dialog.getByLabelText('Branch, tag or commit'),
      '0123abcd',
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Deploy' }));
    await userEvent.click(
      await dialog.findByRole('button', { name: 'Queue after it' }),
    );

    expect(api.createRelease).toHaveBeenLastCalledWith(
      'component:default/shop',
      {
        environment: 'production',
        commitSha: '0123abcd',
        reason: undefined,
        onConflict: 'queue',
        trigger: 'manual',
      },
    );
  });

  it('shows any other refusal as the backend worded it, and keeps the form', async () => {
    const api = mockAutonomousApi({
      createRelease: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            400,
            'ref "no-such-branch" does not exist in shop-team/shop; push it first or pick another',
          ),
        ),
    });
    await renderTab(api);

    const dialog = within(await openDeployTo('staging'));
    await userEvent.type(
      dialog.getByLabelText('Branch, tag or commit'),
      'no-such-branch',
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Deploy' }));

    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'ref "no-such-branch" does not exist in shop-team/shop; push it first or pick another',
    );
    expect(dialog.queryByRole('button', { name: 'Queue after it' })).toBeNull();
    expect(dialog.getByLabelText('Branch, tag or commit')).toHaveValue(
      'no-such-branch',
    );
  });

  it('refuses a ref with spaces before asking the backend', async () => {
    const api = mockAutonomousApi();
    await renderTab(api);

    const dialog = within(await openDeployTo('staging'));
    await userEvent.type(
      dialog.getByLabelText('Branch, tag or commit'),
      'my branch',
    );

    const field = dialog.getByLabelText('Branch, tag or commit');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(
      'A branch, tag or commit has no spaces.',
    );
    // Enter submits the form; the refused name keeps the focus on its field.
    await userEvent.type(field, '{Enter}');
    expect(field).toHaveFocus();
    expect(api.createRelease).not.toHaveBeenCalled();
  });

  it.each([
    [
      'main..x',
      'A branch or tag name cannot contain two dots in a row (“..”).',
    ],
    [
      'feature/',
      'A branch or tag name cannot start or end with “/”, or have two in a row.',
    ],
    ['fix:bug', 'A branch or tag name cannot contain “:”.'],
  ])('says on the field why %s is not a branch name', async (ref, problem) => {
    const api = mockAutonomousApi();
    await renderTab(api);

    const dialog = within(await openDeployTo('staging'));
    const field = dialog.getByLabelText('Branch, tag or commit');
    await userEvent.type(field, ref);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(problem);
  });

  it('puts the backend refusing a name on the field, in plain words, and submits with Enter', async () => {
    const api = mockAutonomousApi({
      createRelease: jest
        .fn()
        .mockRejectedValue(
          await aResponseError(
            400,
            'invalid body: ref: is not a valid git branch or tag name',
          ),
        ),
    });
    await renderTab(api);

    const dialog = within(await openDeployTo('staging'));
    const field = dialog.getByLabelText('Branch, tag or commit');
    await userEvent.type(field, 'release-2025{Enter}');

    await waitFor(() =>
      expect(field).toHaveAccessibleDescription(
        'This branch or tag name is not a valid git branch or tag name.',
      ),
    );
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveFocus();
    expect(dialog.queryByText(/invalid body/)).toBeNull();
  });
});
