import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { fakeSignals } from '../__testUtils__/renderTab';
import {
  DATABASE_POLL_INTERVAL_MS,
  databaseSignalChannel,
  useLiveDatabaseUpdates,
} from './useLiveDatabaseUpdates';

const ENTITY = 'resource:default/Orders-DB';

function render(userEntityRef: string, inFlight: boolean) {
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
    () => useLiveDatabaseUpdates({ entityRef: ENTITY, inFlight, onUpdate }),
    { wrapper },
  );
  return { ...hook, signals, onUpdate };
}

describe('useLiveDatabaseUpdates', () => {
  afterEach(() => jest.useRealTimers());

  it("listens on the entity's databases channel, in lower case, and reads again on a message", async () => {
    const { result, signals, onUpdate } = render('user:default/jane', false);
    const channel = 'autonomous:databases:resource:default/orders-db';
    expect(databaseSignalChannel(ENTITY)).toBe(channel);
    expect(signals.subscriberCount(channel)).toBe(1);
    await waitFor(() => expect(result.current).toBe(true));

    act(() =>
      signals.emit('autonomous:releases:resource:default/orders-db', {}),
    );
    expect(onUpdate).not.toHaveBeenCalled();
    act(() =>
      signals.emit(channel, {
        type: 'backup',
        databaseId: 'db-1',
        backupId: 'b',
      }),
    );
    expect(onUpdate).toHaveBeenCalledWith({
      type: 'backup',
      databaseId: 'db-1',
      backupId: 'b',
    });
  });

  it('polls for the guest while something is under way, and only then', async () => {
    jest.useFakeTimers();
    const busy = render('user:default/guest', true);
    await waitFor(() => expect(busy.result.current).toBe(false));
    act(() => {
      jest.advanceTimersByTime(DATABASE_POLL_INTERVAL_MS * 2);
    });
    expect(busy.onUpdate).toHaveBeenCalledTimes(2);

    const idle = render('user:default/guest', false);
    await waitFor(() => expect(idle.result.current).toBe(false));
    act(() => {
      jest.advanceTimersByTime(DATABASE_POLL_INTERVAL_MS * 2);
    });
    expect(idle.onUpdate).not.toHaveBeenCalled();
  });
});
