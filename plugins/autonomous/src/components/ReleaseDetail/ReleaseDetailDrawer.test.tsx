import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  releaseSignalChannel,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { readTextChunks } from '../../api/textStream';
import { aRelease, mockAutonomousApi } from '../../__testUtils__/releases';
import { fakeSignals, renderTab } from '../../__testUtils__/renderTab';
import { writableBody } from '../../__testUtils__/streamingClient';

const digest =
  'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const buildingRelease: ReleaseWithEvents = {
  ...aRelease({
    id: 'rel-2',
    version: 'v1.1.0',
    environment: 'staging',
    status: 'building',
    ref: 'main',
    reason: 'ship the checkout fix',
    buildJob: 'shop/main',
    buildNumber: 42,
    finishedAt: undefined,
    durationMs: undefined,
  }),
  events: [
    {
      id: 'e1',
      releaseId: 'rel-2',
      at: '2025-01-01T10:00:00.000Z',
      to: 'queued',
      message: 'Deploy main to staging',
    },
    {
      id: 'e2',
      releaseId: 'rel-2',
      at: '2025-01-01T10:00:04.000Z',
      from: 'queued',
      to: 'building',
      message: 'Jenkins build #42 started',
    },
  ],
};

/** The log arrives through a stream and a re-render: allow for a loaded CI machine. */
const SLOW = { timeout: 10_000 };
jest.setTimeout(30_000);

describe('the release detail drawer', () => {
  it('shows the release, its stages, its live build log and its environment pods, and follows signals', async () => {
    const log = writableBody();
    const signals = fakeSignals();
    const api = mockAutonomousApi({
      listReleases: jest.fn().mockResolvedValue({ items: [buildingRelease] }),
      getRelease: jest
        .fn()
        .mockResolvedValueOnce(buildingRelease)
        .mockResolvedValue({
          ...buildingRelease,
          status: 'built',
          imageRef: `harbor.example.com/shop/web@${digest}`,
          events: [
            ...buildingRelease.events,
            {
              id: 'e3',
              releaseId: 'rel-2',
              at: '2025-01-01T10:01:34.000Z',
              from: 'building',
              to: 'built',
              message: `Pinned to ${digest}`,
            },
          ],
        }),
      streamBuildLog: jest.fn((_id, options) =>
        readTextChunks(log.body, options?.signal),
      ),
      listPods: jest.fn().mockResolvedValue([
        {
          name: 'shop-web-1',
          phase: 'Running',
          ready: true,
          restarts: 0,
          containers: ['web'],
          images: [],
          hasPreviousLogs: false,
        },
      ]),
      streamPodLogs: jest.fn(async function* podLog() {
        yield 'GET /health 200\n';
      }),
    });
    await renderTab(api, { signals: signals.api, at: '/?release=rel-2' });

    const drawer = within(
      await screen.findByRole('dialog', { name: /^Release / }),
    );
    expect(
      await drawer.findByRole('heading', {
        name: 'Release #1 v1.1.0 to staging',
      }),
    ).toBeInTheDocument();
    expect(drawer.getByText('ship the checkout fix')).toBeInTheDocument();
    expect(drawer.getByText('not built yet')).toBeInTheDocument();
    expect(
      drawer.getByText('0123456789abcdef0123456789abcdef01234567'),
    ).toBeInTheDocument();
    expect(drawer.getByText('Jenkins build #42 started')).toBeInTheDocument();
    expect(drawer.getByText('took 4s')).toBeInTheDocument();

    act(() => log.write('Step 1/4 : FROM node:24\n'));
    expect(
      await drawer.findByText('Step 1/4 : FROM node:24', {}, SLOW),
    ).toBeInTheDocument();
    expect(
      drawer.getByText('Following the build as it runs…'),
    ).toBeInTheDocument();
    act(() => log.write('Step 2/4 : RUN yarn install\n'));
    expect(
      await drawer.findByText('Step 2/4 : RUN yarn install', {}, SLOW),
    ).toBeInTheDocument();
    expect(drawer.getByRole('button', { name: 'Download log' })).toBeEnabled();

    // The build ends and the backend says so: the release is read again, the log is kept.
    act(() => log.end());
    act(() => signals.emit(releaseSignalChannel('component:default/shop'), {}));
    expect(await drawer.findByText(digest, {}, SLOW)).toBeInTheDocument();
    expect(drawer.getByText(`Pinned to ${digest}`)).toBeInTheDocument();
    expect(drawer.getByText('took 1m 30s')).toBeInTheDocument();
    expect(drawer.getByText('Step 1/4 : FROM node:24')).toBeInTheDocument();
    expect(api.streamBuildLog).toHaveBeenCalledTimes(1);

    await userEvent.click(
      await drawer.findByRole('button', { name: 'Logs of shop-web-1' }),
    );
    expect(await drawer.findByText('GET /health 200')).toBeInTheDocument();
    expect(api.listPods).toHaveBeenCalledWith(
      'component:default/shop',
      'staging',
    );

    await userEvent.click(
      drawer.getByRole('button', { name: 'Close release details' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog', { name: /^Release / })).toBeNull(),
    );
  });

  it('opens from the version in the history and says when a release reuses an image', async () => {
    const redeploy = aRelease({
      id: 'rel-4',
      version: 'v1.0.2',
      trigger: 'redeploy',
      sourceReleaseId: 'rel-1',
      // The backend records the project's job on every release, built or not.
      buildJob: 'shop/main',
      imageRef: `harbor.example.com/shop/web@${digest}`,
    });
    const api = mockAutonomousApi({
      listReleases: jest.fn().mockResolvedValue({ items: [redeploy] }),
      getRelease: jest.fn().mockResolvedValue({ ...redeploy, events: [] }),
    });
    await renderTab(api);

    const row = (await screen.findAllByText('v1.0.2'))
      .map(element => element.closest('tr'))
      .find(Boolean) as HTMLElement;
    await userEvent.click(
      within(row).getByRole('button', { name: '#1 v1.0.2' }),
    );

    const drawer = within(
      await screen.findByRole('dialog', { name: /^Release / }),
    );
    expect(
      await drawer.findByText(
        'No build: this release deploys the image of an earlier release again.',
      ),
    ).toBeInTheDocument();
    expect(drawer.getByText('No stage recorded yet.')).toBeInTheDocument();
    expect(api.getRelease).toHaveBeenCalledWith('rel-4');
    expect(api.streamBuildLog).not.toHaveBeenCalled();
  });
});
