import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aRelease,
  mockAutonomousApi,
  projectEntity,
  projectStatus,
} from '../../__testUtils__/releases';
import { renderTab as renderWith } from '../../__testUtils__/renderTab';

async function renderTab(
  api: ReturnType<typeof mockAutonomousApi>,
  entity: Entity = projectEntity,
) {
  return renderWith(api, { entity });
}

/** The history row showing `text` (the environment strip may show it too). */
function rowOf(text: string) {
  const row = screen
    .getAllByText(text)
    .map(element => element.closest('tr'))
    .find(Boolean);
  if (!row) {
    throw new Error(`No history row shows ${text}`);
  }
  return row as HTMLElement;
}

describe('ReleasesContent', () => {
  it('lists releases with version, short commit, trigger, who, status, start and duration', async () => {
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    const api = mockAutonomousApi({
      listReleases: jest.fn().mockResolvedValue({
        items: [
          aRelease({
            id: 'rel-2',
            version: 'v1.1.0',
            commitMessage: 'Fix the checkout total\n\nLong body',
            trigger: 'webhook',
            requestedBy: 'git push',
            status: 'building',
            finishedAt: undefined,
            durationMs: undefined,
          }),
          aRelease({ status: 'rolled-back', startedAt: fiveMinutesAgo }),
        ],
      }),
    });

    await renderTab(api);

    expect(await screen.findByText('Release history')).toBeInTheDocument();
    expect(api.listReleases).toHaveBeenCalledWith('component:default/shop', {
      limit: 20,
      cursor: undefined,
    });

    const inFlight = within(rowOf('v1.1.0'));
    expect(inFlight.getByText('0123456')).toHaveAttribute(
      'title',
      '0123456789abcdef0123456789abcdef01234567',
    );
    expect(inFlight.getByText('Fix the checkout total')).toBeInTheDocument();
    expect(inFlight.getByText('webhook')).toBeInTheDocument();
    expect(inFlight.getByText('git push')).toBeInTheDocument();
    expect(inFlight.getByText('building')).toBeInTheDocument();
    expect(inFlight.getByLabelText('Status running')).toBeInTheDocument();
    expect(inFlight.getByText('still running')).toBeInTheDocument();

    const finished = within(rowOf('v1.0.0'));
    expect(finished.getByText('rolled back')).toBeInTheDocument();
    expect(finished.getByLabelText('Status warning')).toBeInTheDocument();
    expect(finished.getByText('took 3m 12s')).toBeInTheDocument();
    expect(finished.getByRole('link', { name: /jane/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/jane',
    );
    // The date and time are text, not a tooltip: read by screen readers and keyboard users.
    expect(finished.getByText('5 minutes ago')).toBeInTheDocument();
    expect(rowOf('v1.0.0').querySelector('time')).toHaveAttribute(
      'dateTime',
      fiveMinutesAgo,
    );
    expect(
      finished.getByText(new RegExp(String(new Date().getFullYear()))),
    ).toBeInTheDocument();
  });

  it('shows the project kind and where each environment deploys from', async () => {
    await renderTab(
      mockAutonomousApi({
        listReleases: jest.fn().mockResolvedValue({ items: [aRelease()] }),
      }),
    );

    expect(await screen.findByText('Monolith project')).toBeInTheDocument();
    expect(
      screen.getByText('staging · auto-deploy from develop'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('production · manual releases'),
    ).toBeInTheDocument();
  });

  it('pages forward with the next cursor and back with the cursors it came through', async () => {
    const pages: Record<string, { items: any[]; nextCursor?: string }> = {
      first: { items: [aRelease({ version: 'v3' })], nextCursor: 'c2' },
      c2: { items: [aRelease({ version: 'v2' })], nextCursor: 'c3' },
      c3: { items: [aRelease({ version: 'v1' })] },
    };
    const api = mockAutonomousApi({
      listReleases: jest.fn(
        async (_ref, options) => pages[options?.cursor ?? 'first'],
      ),
    });
    await renderTab(api);

    expect(await screen.findByText('v3')).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('v2')).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('v1')).toBeInTheDocument();
    expect(screen.getByText('Page 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await screen.findByText('v2')).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await screen.findByText('v3')).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();

    expect(api.listReleases.mock.calls.map(([, o]) => o?.cursor)).toEqual([
      undefined,
      'c2',
      'c3',
      'c2',
      undefined,
    ]);
  });

  it('explains how a first release happens when there is none', async () => {
    await renderTab(mockAutonomousApi());

    expect(await screen.findByText('No releases yet')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByText(/auto-deploy releases it to staging/),
      ).toBeInTheDocument(),
    );
    expect(screen.getByText('develop')).toBeInTheDocument();
    expect(screen.queryByText(/releases it to production/)).toBeNull();
    expect(screen.getByText('autonomous deploy')).toBeInTheDocument();
    expect(screen.getByText(/Software Template/)).toBeInTheDocument();
  });

  it('says pushes start nothing when auto-deploy is off', async () => {
    await renderTab(
      mockAutonomousApi({
        getProject: jest.fn().mockRejectedValue(new Error('offline')),
      }),
      {
        ...projectEntity,
        metadata: {
          ...projectEntity.metadata,
          annotations: {
            'autonomous.dev/project': 'monolith',
            'autonomous.dev/branch': 'trunk',
          },
        },
      },
    );

    expect(
      await screen.findByText(/Auto-deploy is off, so pushes start no release/),
    ).toBeInTheDocument();
    expect(screen.getByText('trunk')).toBeInTheDocument();
  });

  it("shows the backend's message when the release history cannot be read", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'You may not read releases of component:default/shop',
        },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    const api = mockAutonomousApi({
      getProject: jest.fn().mockRejectedValue(error),
      getProjectStatus: jest
        .fn()
        .mockRejectedValueOnce(error)
        .mockResolvedValue(projectStatus),
      listReleases: jest
        .fn()
        .mockRejectedValueOnce(error)
        .mockResolvedValue({ items: [aRelease()] }),
    });

    await renderTab(api);

    expect(
      await screen.findByText(
        /Could not load the release history: You may not read releases of component:default\/shop/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not load the project's settings/),
    ).toBeNull();
    expect(
      screen.queryByText(/Could not read the environments' status/),
    ).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rowOf('v1.0.0')).toBeInTheDocument());
    expect(
      await within(
        screen.getByRole('region', { name: 'Environment production' }),
      ).findByRole('button', { name: '#1 v1.0.0' }),
    ).toBeInTheDocument();
  });

  it('says which annotation is missing on an entity Autonomous does not deploy', async () => {
    const api = mockAutonomousApi();
    await renderTab(api, {
      ...projectEntity,
      metadata: { name: 'plain', namespace: 'default' },
    });

    expect(
      await screen.findByText('Missing Annotation', { exact: false }),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('autonomous.dev/project').length,
    ).toBeGreaterThan(0);
    expect(api.listReleases).not.toHaveBeenCalled();
  });
});
