import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { releaseSignalChannel } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { fakeSignals } from '../__testUtils__/renderTab';
import {
  RELEASE_POLL_INTERVAL_MS,
  useLiveReleaseUpdates,
} from './useLiveReleaseUpdates';

const ENTITY = 'component:default/shop';

function render(userEntityRef: string) {
  const signals = fakeSignals();
  const onUpdate = jest.fn();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [signalApiRef, signals.api],
        [identityApiRef, mockApis.identity({ userEntityRef })],
      ]}
    >
      {children}
    </TestApiProvider>
  );
  const hook = renderHook(
    () =>
      useLiveReleaseUpdates({ entityRef: ENTITY, inFlight: true, onUpdate }),
    { wrapper },
  );
  return { ...hook, signals, onUpdate };
}

describe('useLiveReleaseUpdates', () => {
  afterEach(() => jest.useRealTimers());

  it("listens on the entity's own channel and refetches on an empty signal", async () => {
    const { result, signals, onUpdate } = render('user:default/jane');
    expect(signals.subscriberCount(releaseSignalChannel(ENTITY))).toBe(1);
    await waitFor(() => expect(result.current).toBe(true));

    act(() => signals.emit(releaseSignalChannel('component:default/x'), {}));
    expect(onUpdate).not.toHaveBeenCalled();
    act(() => signals.emit(releaseSignalChannel(ENTITY), {}));
    expect(onUpdate).toHaveBeenCalledTimes(1);
  });

  it('polls for the guest, whom the backend never signals', async () => {
    jest.useFakeTimers();
    const { result, onUpdate } = render('user:default/guest');
    await waitFor(() => expect(result.current).toBe(false));
    act(() => {
      jest.advanceTimersByTime(RELEASE_POLL_INTERVAL_MS);
    });
    expect(onUpdate).toHaveBeenCalledTimes(1);
  });
});
