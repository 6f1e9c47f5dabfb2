import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PodSummary } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import {
  clientAnswering,
  writableBody,
} from '../../__testUtils__/streamingClient';
import { PodLogViewer } from './PodLogViewer';

const pod: PodSummary = {
  name: 'shop-web-7d9f-abcde',
  phase: 'Running',
  ready: true,
  restarts: 2,
  containers: ['web', 'proxy'],
  images: ['harbor.example.com/shop/web@sha256:aaaa'],
  hasPreviousLogs: true,
};

describe('PodLogViewer', () => {
  it('shows each chunk of a followed log as it arrives, and stops reading when closed', async () => {
    const live = writableBody();
    const { client, requests } = clientAnswering(url =>
      url.searchParams.get('follow') === 'true'
        ? new Response(live.body)
        : new Response('crashed: out of memory\n'),
    );

    const view = await renderInTestApp(
      <TestApiProvider apis={[[autonomousApiRef, client]]}>
        <PodLogViewer
          entityRef="component:default/shop"
          environment="staging"
          pod={pod}
        />
      </TestApiProvider>,
    );

    act(() => live.write('listening on :8080\n'));
    expect(await screen.findByText('listening on :8080')).toBeInTheDocument();
    expect(screen.getByText('Following…')).toBeInTheDocument();

    act(() => live.write('GET /checkout 200\n'));
    expect(await screen.findByText('GET /checkout 200')).toBeInTheDocument();
    expect(screen.getByText('listening on :8080')).toBeInTheDocument();

    expect(requests[0].pathname).toBe(
      '/api/autonomous/projects/component/default/shop/environments/staging/pods/shop-web-7d9f-abcde/logs',
    );
    expect(Object.fromEntries(requests[0].searchParams)).toEqual({
      container: 'web',
      tailLines: '1000',
      follow: 'true',
    });

    // The previous container has stopped: its logs are read once, not followed.
    await userEvent.click(
      screen.getByLabelText('Previous container (before 2 restarts)'),
    );
    expect(
      await screen.findByText('crashed: out of memory'),
    ).toBeInTheDocument();
    expect(screen.queryByText('GET /checkout 200')).toBeNull();
    expect(Object.fromEntries(requests[1].searchParams)).toEqual({
      container: 'web',
      previous: 'true',
      tailLines: '1000',
    });
    expect(screen.getByRole('checkbox', { name: 'Follow' })).toBeDisabled();
    await waitFor(() => expect(live.isCancelled()).toBe(true));

    view.unmount();
  });

  it('follows the chosen container and downloads its log as a file', async () => {
    const { client, requests } = clientAnswering(url =>
      url.searchParams.get('download') === 'true'
        ? new Response('all of it\n', {
            headers: {
              'Content-Disposition': 'attachment; filename="proxy.log"',
            },
          })
        : new Response(`${url.searchParams.get('container')} says hello\n`),
    );
    const createObjectURL = jest
      .spyOn(URL, 'createObjectURL')
      .mockReturnValue('blob:proxy-log');
    // A spy another test file left on the worker's shared `URL` keeps its calls: start afresh.
    createObjectURL.mockClear();
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function checkDownload(this: HTMLAnchorElement) {
        expect(this.download).toBe('proxy.log');
        expect(this.href).toBe('blob:proxy-log');
      });

    await renderInTestApp(
      <TestApiProvider apis={[[autonomousApiRef, client]]}>
        <PodLogViewer
          entityRef="component:default/shop"
          environment="staging"
          pod={pod}
        />
      </TestApiProvider>,
    );
    expect(await screen.findByText('web says hello')).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Container'), 'proxy');
    expect(await screen.findByText('proxy says hello')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const blob = createObjectURL.mock.calls[0][0] as Blob;
    expect(await blob.text()).toBe('all of it\n');
    expect(
      Object.fromEntries(requests[requests.length - 1].searchParams),
    ).toEqual({ container: 'proxy', download: 'true' });

    createObjectURL.mockRestore();
    click.mockRestore();
  });
});
