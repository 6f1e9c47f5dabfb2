import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SWRConfig } from 'swr';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { autonomousApiRef } from '../../api';
import {
  aRelease,
  aResponseError,
  mockAutonomousApi,
} from '../../__testUtils__/releases';
import { BuildLogPanel } from './BuildLogPanel';

const built = aRelease({ id: 'rel-7', buildJob: 'shop/main', buildNumber: 12 });

async function renderPanel(
  api: ReturnType<typeof mockAutonomousApi>,
  release = built,
  logs: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const permissions = mockApis.permission({ authorize: logs });
  // usePermission caches answers in SWR's global cache: each render gets its own.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [autonomousApiRef, api],
          [permissionApiRef, permissions],
        ]}
      >
        <BuildLogPanel release={release} />
      </TestApiProvider>
    </SWRConfig>,
  );
}

describe('BuildLogPanel', () => {
  it("reads a finished build's log piece by piece and shows all of it", async () => {
    const api = mockAutonomousApi({
      getBuildLog: jest
        .fn()
        .mockResolvedValueOnce({
          text: 'Started by Autonomous\n',
          nextStart: 22,
          more: true,
        })
        .mockResolvedValueOnce({
          text: 'Finished: SUCCESS\n',
          nextStart: 40,
          more: false,
        }),
    });
    await renderPanel(api);

    expect(await screen.findByText('Finished: SUCCESS')).toBeInTheDocument();
    expect(screen.getByText('Started by Autonomous')).toBeInTheDocument();
    expect(screen.getByText('shop/main #12')).toBeInTheDocument();
    expect(api.getBuildLog.mock.calls).toEqual([
      ['rel-7', 0],
      ['rel-7', 22],
    ]);
    expect(api.streamBuildLog).not.toHaveBeenCalled();
  });

  it('says why the log cannot be read, and reads it again on request', async () => {
    const api = mockAutonomousApi({
      getBuildLog: jest
        .fn()
        .mockRejectedValueOnce(
          await aResponseError(
            502,
            'Jenkins did not answer: connection refused',
          ),
        )
        .mockResolvedValue({
          text: 'Finished: SUCCESS\n',
          nextStart: 18,
          more: false,
        }),
    });
    await renderPanel(api);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not read the build log: Jenkins did not answer: connection refused',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Finished: SUCCESS')).toBeInTheDocument();
  });

  it('downloads the whole log as the file the backend names', async () => {
    const api = mockAutonomousApi({
      downloadBuildLog: jest.fn().mockResolvedValue({
        blob: new Blob(['whole log']),
        filename: 'shop-v1.0.0-build.log',
      }),
    });
    const createObjectURL = jest
      .spyOn(URL, 'createObjectURL')
      .mockReturnValue('blob:build-log');
    const names: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordDownload(this: HTMLAnchorElement) {
        names.push(this.download);
      });
    await renderPanel(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Download log' }),
    );

    await waitFor(() => expect(names).toEqual(['shop-v1.0.0-build.log']));
    expect(api.downloadBuildLog).toHaveBeenCalledWith('rel-7');
    createObjectURL.mockRestore();
    click.mockRestore();
  });

  it('waits for a queued build to start', async () => {
    const api = mockAutonomousApi();
    await renderPanel(
      api,
      aRelease({
        status: 'queued',
        buildJob: 'shop/main',
        finishedAt: undefined,
      }),
    );

    expect(
      await screen.findByText(
        'The build has not started yet; its log shows here as soon as it does.',
      ),
    ).toBeInTheDocument();
    expect(api.getBuildLog).not.toHaveBeenCalled();
  });

  it('says there is no log when the release ended before its build started', async () => {
    const api = mockAutonomousApi();
    await renderPanel(
      api,
      aRelease({
        status: 'failed',
        buildJob: 'shop/main',
        buildNumber: undefined,
      }),
    );

    expect(
      await screen.findByText(
        'No build log: the release ended before its build started.',
      ),
    ).toBeInTheDocument();
    expect(api.getBuildLog).not.toHaveBeenCalled();
  });

  it('hides the log, saying why, from a user who may not read logs', async () => {
    const api = mockAutonomousApi();
    await renderPanel(api, built, AuthorizeResult.DENY);

    expect(
      await screen.findByText(
        /^The build log is hidden from you\. Logs can contain secrets/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Download log' })).toBeNull();
    expect(screen.queryByText(/Could not read/)).toBeNull();
    expect(api.getBuildLog).not.toHaveBeenCalled();
    expect(api.streamBuildLog).not.toHaveBeenCalled();
  });
});
