import { SWRConfig } from 'swr';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { autonomousApiRef } from '../../api';
import { mockAutonomousApi } from '../../__testUtils__/releases';
import { EnvironmentPods } from './EnvironmentPods';

const pod = {
  name: 'shop-web-1',
  phase: 'Running',
  ready: true,
  restarts: 0,
  containers: ['web'],
  images: [],
  hasPreviousLogs: false,
};

async function renderPods(logs: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  const api = mockAutonomousApi({
    listPods: jest.fn().mockResolvedValue([pod]),
  });
  await renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [autonomousApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({
              authorize: request =>
                request.permission.name === 'autonomous.logs.read'
                  ? logs
                  : AuthorizeResult.ALLOW,
            }),
          ],
        ]}
      >
        <EnvironmentPods
          entityRef="component:default/shop"
          environment="staging"
        />
      </TestApiProvider>
    </SWRConfig>,
  );
  return api;
}

describe('EnvironmentPods', () => {
  it('offers each pod’s logs to a user who may read them', async () => {
    await renderPods(AuthorizeResult.ALLOW);
    expect(
      await screen.findByRole('button', { name: 'Logs of shop-web-1' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Pod logs are hidden/)).toBeNull();
  });

  it('lists the pods without their logs, and says why, to a user who may not read logs', async () => {
    const api = await renderPods(AuthorizeResult.DENY);
    expect(
      await screen.findByText(
        /^Pod logs are hidden from you\. Logs can contain secrets/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('shop-web-1')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Logs of / })).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Logs' })).toBeNull();
    expect(api.streamPodLogs).not.toHaveBeenCalled();
  });
});
