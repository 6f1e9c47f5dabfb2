import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ReleaseStatus } from './ReleaseStatus';

describe('ReleaseStatus', () => {
  it.each([
    ['healthy', 'ok', 'healthy'],
    ['failed', 'error', 'failed'],
    ['degraded', 'warning', 'degraded'],
    ['rolled-back', 'warning', 'rolled back'],
    ['building', 'running', 'building'],
    ['rolling-back', 'running', 'rolling back'],
    ['cancelled', 'aborted', 'cancelled'],
  ] as const)(
    'shows a %s release with the %s indicator and its word',
    async (status, indicator, word) => {
      await renderInTestApp(<ReleaseStatus status={status} />);
      const label = screen.getByText(word);
      expect(label).toBeInTheDocument();
      expect(
        screen.getByLabelText(`Status ${indicator}`, { exact: false }),
      ).toBeInTheDocument();
    },
  );
});
