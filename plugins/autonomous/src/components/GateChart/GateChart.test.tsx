import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { GateChart } from './GateChart';

describe('the gate chart', () => {
  it('draws a point per value, a gap where Prometheus gave none, and the threshold', async () => {
    await renderInTestApp(
      <GateChart
        label="error-ratio"
        threshold={0.01}
        startedAt="2026-12-08T09:00:00.000Z"
        samples={[
          { at: '2026-12-08T09:00:30.000Z', value: 0.002, passed: true },
          {
            at: '2026-12-08T09:01:00.000Z',
            passed: false,
            error: 'Prometheus did not answer',
          },
          { at: '2026-12-08T09:01:30.000Z', value: 0.003, passed: true },
          { at: '2026-12-08T09:02:00.000Z', value: 0.2, passed: false },
        ]}
      />,
    );
    const figure = screen.getByRole('figure', {
      name: 'Values of error-ratio over its window',
    });
    expect(figure.querySelectorAll('.recharts-line-dot')).toHaveLength(3);
    // The line breaks at the sample without a value: two pieces.
    const path = figure
      .querySelector('.recharts-line-curve')!
      .getAttribute('d');
    expect(path?.match(/M/g)).toHaveLength(2);
    expect(figure.querySelector('.recharts-reference-line')).not.toBeNull();
  });
});
