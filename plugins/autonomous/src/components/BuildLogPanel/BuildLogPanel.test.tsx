import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
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
) {
  return renderInTestApp(
    <TestApiProvider apis={[[autonomousApiRef, api]]}>
      <BuildLogPanel release={release} />
    </TestApiProvider>,
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
      screen.getByText(
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
      screen.getByText(
        'No build log: the release ended before its build started.',
      ),
    ).toBeInTheDocument();
    expect(api.getBuildLog).not.toHaveBeenCalled();
  });
});
