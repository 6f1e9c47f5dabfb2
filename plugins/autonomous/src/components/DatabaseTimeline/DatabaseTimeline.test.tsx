import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { anEvent } from '../../__testUtils__/databases';
import { DatabaseTimeline, failedStep } from './DatabaseTimeline';

describe('the provisioning steps', () => {
  it('lists each step with its status word, sentence and time', async () => {
    await renderInTestApp(
      <DatabaseTimeline
        inFlight
        events={[
          anEvent('accepted', 'info', 'Provisioning requested by jane', 0),
          anEvent(
            'namespace',
            'succeeded',
            'Namespace db-orders-db is ready',
            1,
          ),
          anEvent('readiness', 'started', 'Waiting for the StatefulSet', 2),
        ]}
      />,
    );
    const items = within(
      screen.getByRole('list', { name: 'Provisioning steps' }),
    ).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      expect.stringMatching(
        /^Request acceptedinfoProvisioning requested by jane.*2026/,
      ),
      expect.stringMatching(
        /^NamespacesucceededNamespace db-orders-db is ready/,
      ),
      expect.stringMatching(/^Readinessin progressWaiting for the StatefulSet/),
    ]);
  });

  it('names the failed step and its reason, unless a later try of it succeeded', async () => {
    const failed = [
      anEvent('readiness', 'started', 'Waiting for the StatefulSet', 1),
      anEvent('readiness', 'failed', 'The PVC was never bound', 11),
    ];
    await renderInTestApp(
      <DatabaseTimeline inFlight={false} events={failed} />,
    );
    expect(
      screen.getByText(/^Failed at “Readiness”: The PVC was never bound$/),
    ).toBeInTheDocument();
    expect(
      failedStep([
        ...failed,
        {
          ...anEvent('readiness', 'succeeded', 'StatefulSet ready', 13),
          id: 'r2',
        },
      ]),
    ).toBeUndefined();
  });
});
