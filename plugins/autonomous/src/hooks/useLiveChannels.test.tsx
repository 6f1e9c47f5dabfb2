import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { fakeSignals } from '../__testUtils__/renderTab';
import { SIGNAL_COALESCE_MS, useLiveChannels } from './useLiveChannels';

const SHOP = 'autonomous:releases:component:default/shop';
const BILLING = 'autonomous:releases:component:default/billing';

async function render(userEntityRef: string, channels: string[]) {
  const signals = fakeSignals();
  const onUpdate = jest.fn();
  const identity = mockApis.identity({ userEntityRef });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [signalApiRef, signals.api],
        [identityApiRef, identity],
      ]}
    >
      {children}
    </TestApiProvider>
  );
  const hook = renderHook(
    ({ list }: { list: string[] }) => useLiveChannels(list, onUpdate),
    { wrapper, initialProps: { list: channels } },
  );
  // The identity is read asynchronously: let it answer before the test looks.
  await act(async () => {});
  return { ...hook, signals, onUpdate };
}

describe('useLiveChannels', () => {
  afterEach(() => jest.useRealTimers());

  it("reads again once for a burst of signals on any listed entity's channel, and for no other", async () => {
    jest.useFakeTimers();
    const { result, signals, onUpdate } = await render('user:default/jane', [
      SHOP,
      BILLING,
    ]);
    await waitFor(() => expect(result.current).toBe(true));
    expect(signals.subscriberCount(SHOP)).toBe(1);
    expect(signals.subscriberCount(BILLING)).toBe(1);

    act(() => {
      signals.emit('autonomous:releases:component:default/other', {});
      jest.advanceTimersByTime(SIGNAL_COALESCE_MS);
    });
    expect(onUpdate).not.toHaveBeenCalled();

    act(() => {
      signals.emit(SHOP, {});
      signals.emit(BILLING, {});
      signals.emit(SHOP, {});
      jest.advanceTimersByTime(SIGNAL_COALESCE_MS);
    });
    expect(onUpdate).toHaveBeenCalledTimes(1);
  });

  it('follows the listing: an entity no longer listed is no longer heard', async () => {
    const { result, signals, rerender } = await render('user:default/jane', [
      SHOP,
      BILLING,
    ]);
    await waitFor(() => expect(result.current).toBe(true));
    rerender({ list: [BILLING] });
    expect(signals.subscriberCount(SHOP)).toBe(0);
    expect(signals.subscriberCount(BILLING)).toBe(1);
  });

  it('does not subscribe for the guest, whom the backend never signals', async () => {
    const { result, signals } = await render('user:default/guest', [SHOP]);
    await waitFor(() => expect(signals.subscriberCount(SHOP)).toBe(0));
    expect(result.current).toBe(false);
  });
});
